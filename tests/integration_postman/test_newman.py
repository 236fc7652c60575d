"""The Postman collection, run by newman against the real server: every request and test passes.

``postman/leg-cramps-advice.postman_collection.json`` is what integrators import into Postman;
running it here keeps it true. newman comes from ``package-lock.json``: ``make test`` installs
it with ``npm ci`` into ``node_modules`` first. Without it this test fails, never skips, so a
green run always means the collection was run.

The collection runs twice: against the service as a developer starts it (no API keys, CDS client
authentication off), and with API keys required (``SERVICE_API_KEYS``) and a trusted CDS client,
where the collection's ``apiKey`` variable makes every request send a key, and its CDS folder signs
each call with the client's private key (tests/security/test_auth.py and
tests/integrations/test_cds_auth.py show that keys and tokens are then required).
"""

import json
import secrets
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from tests.support.cds_tokens import clients_file, new_key, public_jwk
from tests.support.gunicorn import REPO_ROOT, running_gunicorn

pytestmark = pytest.mark.server

NEWMAN = REPO_ROOT / "node_modules" / ".bin" / "newman"
COLLECTION = REPO_ROOT / "postman" / "leg-cramps-advice.postman_collection.json"
RUN_TIMEOUT_S = 180
EHR_ISSUER = "https://ehr.example/postman"
REQUEST_TIMEOUT_MS = 30_000


def _requests(items: list[dict]) -> list[str]:
    """The names of the collection's requests, folders flattened, in run order."""
    names = []
    for item in items:
        if "item" in item:
            names.extend(_requests(item["item"]))
        else:
            names.append(item["name"])
    return names


def _newman() -> str:
    if not NEWMAN.exists():
        pytest.fail(
            f"{NEWMAN.relative_to(REPO_ROOT)} is missing: `make test` installs it with `npm ci` "
            "(package-lock.json); run `make test`, or `npm ci` in the repository root.",
            pytrace=False,
        )
    return str(NEWMAN)


def _failures(report: dict) -> list[str]:
    lines = []
    for failure in report["run"]["failures"]:
        source = failure.get("source", {}).get("name", "?")
        error = failure.get("error", {})
        what = error.get("test") or error.get("name")
        lines.append(f"  - {source}: {what}: {error.get('message')}")
    return lines


def run_collection(base_url: str, tmp_path, env_vars: dict[str, str] | None = None):
    """Run the collection with newman; its exit code, console output and JSON report."""
    report_path = tmp_path / "newman-report.json"
    extra_vars = [arg for item in (env_vars or {}).items() for arg in ("--env-var", "=".join(item))]
    command = [
        _newman(),
        "run",
        str(COLLECTION),
        "--env-var",
        f"baseUrl={base_url}",
        *extra_vars,
        "--reporters",
        "cli,json",
        "--reporter-json-export",
        str(report_path),
        "--timeout-request",
        str(REQUEST_TIMEOUT_MS),
        "--color",
        "off",
        "--disable-unicode",
    ]
    completed = subprocess.run(
        command,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
    return completed, report


def assert_collection_passed(completed, report) -> None:
    output = f"\nnewman stdout:\n{completed.stdout}\nnewman stderr:\n{completed.stderr}"
    assert report is not None, "newman wrote no JSON report" + output
    failures = _failures(report)
    assert completed.returncode == 0 and not failures, (
        f"newman exited with {completed.returncode}, {len(failures)} failure(s):\n"
        + "\n".join(failures)
        + output
    )
    stats = report["run"]["stats"]
    expected = _requests(json.loads(COLLECTION.read_text(encoding="utf-8"))["item"])
    assert stats["requests"] == {"total": len(expected), "pending": 0, "failed": 0}, output
    for kind in ("assertions", "testScripts", "prerequestScripts"):
        assert stats[kind]["failed"] == 0, f"{kind}: {stats[kind]}" + output
    executed = [execution["item"]["name"] for execution in report["run"]["executions"]]
    assert executed == expected, output
    for execution in report["run"]["executions"]:
        name = execution["item"]["name"]
        assertions = execution.get("assertions", [])
        assert assertions, f"{name}: no pm.test ran"
        assert not [each for each in assertions if "error" in each], name


def test_the_collection_passes_against_the_real_server_for_local_development(tmp_path):
    """No API keys, and CDS client authentication off (the CDS calls go unsigned)."""
    _newman()  # fails, before a server starts, if newman is not installed
    with running_gunicorn(tmp_path / "gunicorn.log", extra_env={
        "SERVICE_API_KEYS": "", "CDS_HOOKS_AUTH": "off",
    }) as server:
        completed, report = run_collection(server.base_url, tmp_path)
    assert_collection_passed(completed, report)


def test_the_collection_passes_with_api_keys_and_cds_calls_signed_by_a_trusted_client(tmp_path):
    """API keys required, and each CDS call signed by Postman's JWT auth with the private key of
    a client the server trusts: a token it refused (a wrong aud, a reused jti) would fail the
    collection's CDS requests."""
    _newman()
    key = secrets.token_urlsafe(24)
    private_key = new_key()
    clients = clients_file(tmp_path / "clients.json", {"iss": EHR_ISSUER, "jwks": {
        "keys": [public_jwk(private_key, "postman-1")]}})
    pem = private_key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    with running_gunicorn(tmp_path / "gunicorn.log", extra_env={
        "SERVICE_API_KEYS": key, "CDS_HOOKS_CLIENTS": clients,
    }) as server:
        completed, report = run_collection(server.base_url, tmp_path, {
            "apiKey": key, "cdsIssuer": EHR_ISSUER, "cdsKid": "postman-1", "cdsPrivateKey": pem})
    assert_collection_passed(completed, report)
    cds_calls = [execution for execution in report["run"]["executions"]
                 if execution["request"]["url"]["path"][0] == "cds-services"]
    assert cds_calls and all(
        _header(execution, "Authorization").startswith("Bearer ey") for execution in cds_calls)
    assert key not in completed.stdout + completed.stderr  # newman's output does not show it


def _header(execution: dict, name: str) -> str:
    return next((header["value"] for header in execution["request"]["header"]
                 if header["key"].lower() == name.lower()), "")
