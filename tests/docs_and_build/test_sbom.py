"""`make sbom`: a valid CycloneDX 1.5 SBOM of exactly what the runtime lock ships.

A hospital's security review reads it to see what runs: every package requirements/runtime.txt
pins, at that version, with a licence where this Python installs it; durable-rules as the patched
build it is; the vendored Swagger UI.
"""

import json
import re
import subprocess

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packaging.markers import Marker

from tests.support.gunicorn import REPO_ROOT
from tools.durable_rules_wheel import PATCHED_VERSION, PATCHES


@pytest.fixture(scope="module")
def sbom(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("sbom") / "sbom.cdx.json"
    subprocess.run(["make", "--no-print-directory", "sbom", f"SBOM={path}"], cwd=REPO_ROOT,
                   check=True, capture_output=True, timeout=300)
    return json.loads(path.read_text(encoding="utf-8"))


def pinned() -> dict[str, str]:
    lock = (REPO_ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    return dict(re.findall(r"^([a-z0-9-]+)==(\S+)", lock, flags=re.MULTILINE))


def test_the_sbom_is_valid_cyclonedx_1_5(sbom):
    assert JsonStrictValidator(SchemaVersion.V1_5).validate_str(json.dumps(sbom)) is None
    assert sbom["metadata"]["component"]["licenses"] == [{"license": {"id": "Apache-2.0"}}]


def test_it_lists_every_package_the_runtime_lock_pins_and_nothing_else(sbom):
    listed = {each["name"]: each["version"] for each in sbom["components"]}

    assert listed.pop("durable-rules") == PATCHED_VERSION
    assert listed.pop("swagger-ui-dist")
    assert listed == pinned()


def installed_here(component: dict) -> bool:
    """Whether this Python installs the package: uv notes the lock's marker of those it may not."""
    return all(Marker(each["value"]).evaluate() for each in component.get("properties", [])
               if each["name"] == "uv:package:marker")


def test_every_package_this_python_installs_names_its_licence(sbom):
    unlicensed = [each["name"] for each in sbom["components"]
                  if installed_here(each) and not each.get("licenses")]

    assert unlicensed == []


def test_durable_rules_carries_the_pypi_release_it_derives_from_and_both_patches(sbom):
    (component,) = [each for each in sbom["components"] if each["name"] == "durable-rules"]
    pedigree = component["pedigree"]

    assert [each["version"] for each in pedigree["ancestors"]] == ["2.0.28"]
    assert pedigree["ancestors"][0]["purl"] == "pkg:pypi/durable-rules@2.0.28"
    assert [each["diff"]["text"]["content"] for each in pedigree["patches"]] \
        == [patch.read_text() for patch in PATCHES]
