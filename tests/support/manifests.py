"""The Kubernetes manifests of deploy/kubernetes, as files and as objects."""

from pathlib import Path

import yaml

from tests.support.gunicorn import REPO_ROOT

MANIFESTS = REPO_ROOT / "deploy" / "kubernetes"
KUSTOMIZATION = "kustomization.yaml"


def manifest_files() -> list[Path]:
    """Every manifest file, the kustomization (not an API object) left out."""
    return sorted(path for path in MANIFESTS.glob("*.yaml") if path.name != KUSTOMIZATION)


def documents() -> list[tuple[str, dict]]:
    """``(file name, object)`` for every object of every manifest file."""
    return [(path.name, document) for path in manifest_files()
            for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document]
