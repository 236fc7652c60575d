"""FHIR.js, an independent FHIR R4 validator, run by Node.js on the resources a test collects.

fhir.resources checks each element's type but not the resource types a reference may point to
(a GuidanceResponse's ``reasonReference`` to a QuestionnaireResponse passed it); FHIR.js does.
It comes from package-lock.json (``make test`` runs ``npm ci``); without it the test fails,
never skips.
"""

import json
import shutil
import subprocess

from tests.support.gunicorn import REPO_ROOT

SCRIPT = REPO_ROOT / "tests" / "support" / "fhir_validate.js"
PACKAGE = REPO_ROOT / "node_modules" / "fhir"


def fhir_js_errors(resources: list[dict]) -> list[list[str]]:
    """The errors FHIR.js finds in each resource, in order ([] for a valid one)."""
    assert PACKAGE.is_dir(), "FHIR.js is missing: `make test` installs it with `npm ci`"
    node = shutil.which("node")
    assert node, "Node.js is needed (make test needs it for newman too)"
    result = subprocess.run([node, str(SCRIPT)], input=json.dumps(resources), text=True,
                            capture_output=True, timeout=300, cwd=REPO_ROOT, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
