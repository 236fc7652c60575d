"""The Kubernetes manifests of deploy/kubernetes, read once, by kind."""

from pathlib import Path

import pytest
import yaml

from tests.api.gunicorn_server import REPO_ROOT

MANIFESTS = REPO_ROOT / "deploy" / "kubernetes"
KUSTOMIZATION = "kustomization.yaml"


def manifest_files() -> list[Path]:
    """Every manifest file, the kustomization (not an API object) left out."""
    return sorted(path for path in MANIFESTS.glob("*.yaml") if path.name != KUSTOMIZATION)


def documents() -> list[tuple[str, dict]]:
    """``(file name, object)`` for every object of every manifest file."""
    return [(path.name, document) for path in manifest_files()
            for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document]


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
