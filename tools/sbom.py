"""Complete uv's CycloneDX export of the runtime into the SBOM of what ships.

    make sbom        (uv export --format cyclonedx1.5 of uv.lock's runtime, then this)

uv writes every runtime package of uv.lock with its version, purl, distribution hashes and
dependencies. Three things only this project knows are added, and nothing of uv's is changed:

* each package's licence, read from the installed package's metadata (uv.lock records none), and
  the project's own (Apache-2.0). A package the running Python does not install (one for 3.10
  only, say) keeps no licence: its metadata is not here to read;
* that durable-rules ships patched: its version as built, PyPI's release it derives from as its
  ancestor, and both patches, in ``pedigree``;
* Swagger UI, whose files ``service/pages/docs_assets`` vendors (no Python package carries it).
"""

import hashlib
import importlib.metadata as metadata
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script by make, beside tools.durable_rules_wheel

from tools.durable_rules_wheel import PATCHED_VERSION, PATCHES  # noqa: E402

DOCS_ASSETS = ROOT / "service" / "pages" / "docs_assets"
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css")


def licence(name: str) -> list[dict]:
    """The CycloneDX licences of an installed distribution: its SPDX expression if it declares
    one, else the names its classifiers give, else its free-text licence field's first line."""
    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return []
    if meta.get("License-Expression"):
        return [{"expression": meta["License-Expression"]}]
    names = [value.split(" :: ")[-1] for value in meta.get_all("Classifier") or []
             if value.startswith("License ::") and value.count("::") >= 2]
    if not names and (meta.get("License") or "").strip():
        names = [meta["License"].strip().splitlines()[0]]
    return [{"license": {"name": each}} for each in names]


def durable_rules_pedigree(release: dict) -> dict:
    """``release`` (uv's component of PyPI's 2.0.28) as the ancestor, and the two patches."""
    return {"ancestors": [release], "patches": [
        {"type": "unofficial",
         "diff": {"text": {"contentType": "text/x-diff", "content": patch.read_text()},
                  "url": f"third_party/durable-rules/{patch.name}"}}
        for patch in PATCHES],
        "notes": "Built from PyPI's source distribution of 2.0.28 (its hash is in uv.lock) with "
                 "the project's patches; third_party/durable-rules/README.md says why."}


def swagger_ui() -> dict:
    readme = (DOCS_ASSETS / "README.md").read_text(encoding="utf-8")
    version = re.search(r"npm package `swagger-ui-dist` (\S+),", readme)[1]
    return {
        "type": "library", "bom-ref": f"swagger-ui-dist@{version}", "name": "swagger-ui-dist",
        "version": version, "purl": f"pkg:npm/swagger-ui-dist@{version}",
        "licenses": [{"license": {"id": "Apache-2.0"}}],
        "description": "Files vendored in service/pages/docs_assets and served at /docs.",
        "hashes": [{"alg": "SHA-256",
                    "content": hashlib.sha256((DOCS_ASSETS / name).read_bytes()).hexdigest()}
                   for name in SWAGGER_FILES],
    }


def complete(bom: dict) -> dict:
    """The SBOM ``bom`` (uv's export) with licences, durable-rules' pedigree and Swagger UI."""
    bom["metadata"]["component"]["licenses"] = [{"license": {"id": "Apache-2.0"}}]
    for component in bom["components"]:
        found = licence(component["name"])
        if found:
            component["licenses"] = found
        if component["name"] == "durable-rules":
            release = {key: component.pop(key) for key in ("purl", "externalReferences")
                       if key in component}
            release.update(type="library", name="durable-rules", version=component["version"])
            component["version"] = PATCHED_VERSION
            component["pedigree"] = durable_rules_pedigree(release)
    bom["components"].append(swagger_ui())
    return bom


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = Path(sys.argv[1])
    path.write_text(json.dumps(complete(json.loads(path.read_text())), indent=2) + "\n")
    print(f"{path}: CycloneDX SBOM of the runtime")
