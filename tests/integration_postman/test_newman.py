"""The Postman collection, run by newman against the real server: every request and test passes.

``postman/leg-cramps-advice.postman_collection.json`` is what integrators import into Postman;
running it here keeps it true. newman comes from ``package-lock.json``: ``make test`` installs
it with ``npm ci`` into ``node_modules`` first. Without it this test fails, never skips, so a
green run always means the collection was run.

The collection runs twice: against the service as it starts by default, and with API keys
required (``SERVICE_API_KEYS``), where the collection's ``apiKey`` variable makes every request
send one (tests/security/test_auth.py shows that the keys are then required).
"""

import json
import secrets
import subprocess

import pytest

from tests.support.gunicorn import REPO_ROOT, running_gunicorn

pytestmark = pytest.mark.server

NEWMAN = REPO_ROOT / "node_modules" / ".bin" / "newman"
COLLECTION = REPO_ROOT / "postman" / "leg-cramps-advice.postman_collection.json"
RUN_TIMEOUT_S = 180
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


def test_the_collection_passes_against_the_real_server(tmp_path):
    _newman()  # fails, before a server starts, if newman is not installed
    with running_gunicorn(tmp_path / "gunicorn.log", extra_env={"SERVICE_API_KEYS": ""}) as server:
        completed, report = run_collection(server.base_url, tmp_path)
    assert_collection_passed(completed, report)


def test_the_collection_passes_when_the_service_requires_an_api_key(tmp_path):
    _newman()
    key = secrets.token_urlsafe(24)
    with running_gunicorn(tmp_path / "gunicorn.log", extra_env={"SERVICE_API_KEYS": key}) as server:
        completed, report = run_collection(server.base_url, tmp_path, {"apiKey": key})
    assert_collection_passed(completed, report)
    assert key not in completed.stdout + completed.stderr  # newman's output does not show it
