"""Fixtures of the checks of docs and build files: the Kubernetes manifests, read once, by kind."""

import pytest

from tests.support.manifests import documents


@pytest.fixture(scope="session")
def objects() -> dict[str, dict]:
    """``{kind: object}``: the manifests hold one object of each kind."""
    by_kind = {}
    for _, document in documents():
        assert document["kind"] not in by_kind, f"two objects of kind {document['kind']}"
        by_kind[document["kind"]] = document
    return by_kind


@pytest.fixture(scope="session")
def container(objects) -> dict:
    (only,) = objects["Deployment"]["spec"]["template"]["spec"]["containers"]
    return only
