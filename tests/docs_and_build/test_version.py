"""One version, pyproject.toml's, everywhere the service or its files state one.

The running service reads it from the installed package (``service.config.VERSION``); the files
that cannot read it (the spec, the manifests, the docs, the changelog) must say the same.
"""

import re

import yaml

from service.config import VERSION
from service.interop.fhir.terminology import RESOURCES
from tests.support.gunicorn import REPO_ROOT
from tests.support.manifests import documents


def text(name: str) -> str:
    return (REPO_ROOT / name).read_text(encoding="utf-8")


def test_the_installed_package_has_the_version_pyproject_toml_declares():
    # no tomllib on 3.10; the [project] table's version line is unambiguous
    declared = re.search(r'^version = "([^"]+)"$', text("pyproject.toml"), re.MULTILINE)[1]

    assert declared == VERSION, "the installed metadata is stale: make reinstalls the project"
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_the_spec_the_capability_statement_the_questionnaire_and_its_terminology_agree(client):
    served = {path: client.get(path).get_json()
              for path in ("/v1/fhir/metadata", "/v1/fhir/Questionnaire/leg-cramps-intake")}

    assert yaml.safe_load(text("openapi.yaml"))["info"]["version"] == VERSION
    assert served["/v1/fhir/metadata"]["software"]["version"] == VERSION
    assert served["/v1/fhir/Questionnaire/leg-cramps-intake"]["version"] == VERSION
    versions = {resource["version"] for kind in RESOURCES.values() for resource in kind.values()}
    assert versions == {VERSION}


def test_the_kubernetes_manifests_run_the_image_of_this_version():
    images = [container["image"] for _, document in documents()
              if document["kind"] == "Deployment"
              for container in document["spec"]["template"]["spec"]["containers"]]

    assert images == [f"leg-cramps-advice:{VERSION}"]


def test_the_changelog_and_the_contract_page_name_this_version():
    releases = re.findall(r"^## (\d+\.\d+\.\d+) - \d{4}-\d{2}-\d{2}$", text("CHANGELOG.md"),
                          re.MULTILINE)
    api = text("docs/api.md")
    contract = ".".join(VERSION.split(".")[:2])

    assert releases[0] == VERSION, "the newest release of CHANGELOG.md"
    assert api.startswith(f"# API, version {contract}\n")
    assert f"(`{VERSION}` now)" in api
    assert f"docker build -t leg-cramps-advice:{VERSION} ." in text("docs/operations.md")
