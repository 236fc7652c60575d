"""The runtime lock alone runs the server: a new venv with no test tool in it.

``make test`` installs the test tools into ``.venv``, and one of them can bring along a package
the runtime uses without declaring it: pytest brought ``packaging``, which gunicorn 27's gevent
worker imports, and the suite stayed green while ``make run`` could not start. Here a new venv
gets what the Docker image gets: the tools lock, the patched durable-rules wheel ``make`` built,
``requirements/runtime.txt`` with ``--require-hashes``, and the project installed from a copy of
its files (not editable). Every module the server loads must then import, every requirement must
hold (``tools/runtime_check.py``), and that venv's gunicorn must answer advice.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.gunicorn import REPO_ROOT, running_gunicorn

pytestmark = [pytest.mark.server, pytest.mark.slow]

WHEELS = Path(sys.prefix) / "wheels"  # where make builds durable-rules for this venv's Python
#: As the image sets them: the installed package finds the rules and the spec by these.
IMAGE_ENV = {"RULES_DIR": str(REPO_ROOT / "rules"),
             "OPENAPI_PATH": str(REPO_ROOT / "openapi.yaml")}


def run(*command: str | Path, cwd: Path) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                            text=True, timeout=600, check=False, env={**os.environ, **IMAGE_ENV})
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def runtime_venv(tmp_path_factory) -> Path:
    """A venv built as the image builds its own, from the lock, with the runtime only."""
    work = tmp_path_factory.mktemp("runtime-alone")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=work)
    python = venv / "bin" / "python"
    pip = (python, "-m", "pip", "--quiet", "install")
    run(*pip, "--require-hashes", "--requirement", REPO_ROOT / "requirements" / "tools.txt",
        cwd=work)
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    (wheel,) = WHEELS.glob(f"durable_rules-*-{tag}-*.whl")
    run(*pip, "--no-deps", wheel, cwd=work)
    run(*pip, "--require-hashes", "--requirement", REPO_ROOT / "requirements" / "runtime.txt",
        cwd=work)
    project = work / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO_ROOT / name, project)
    shutil.copytree(REPO_ROOT / "service", project / "service",
                    ignore=shutil.ignore_patterns("__pycache__"))
    run(*pip, "--no-deps", "--no-build-isolation", project, cwd=work)
    return venv


def test_the_runtime_venv_holds_no_test_tool(runtime_venv):
    listed = run(runtime_venv / "bin" / "python", "-m", "pip", "list", "--format", "json",
                 cwd=runtime_venv)
    installed = {package["name"].lower() for package in json.loads(listed)}

    assert {"gunicorn", "flask", "durable_rules", "leg-cramps-advice"} <= installed
    assert not installed & {"pytest", "hypothesis", "schemathesis", "ruff", "playwright"}


def test_every_module_the_server_loads_imports_and_every_requirement_holds(runtime_venv):
    # Run as a script from outside the checkout, so `service` is the installed copy.
    output = run(runtime_venv / "bin" / "python", REPO_ROOT / "tools" / "runtime_check.py",
                 cwd=runtime_venv)

    assert "OK" in output


def test_gunicorn_of_the_runtime_venv_answers_advice(runtime_venv, tmp_path):
    # The image's layout: the settings in the working directory, rules and spec beside them.
    shutil.copy(REPO_ROOT / "gunicorn.conf.py", tmp_path)
    with running_gunicorn(tmp_path / "server.log", gunicorn=runtime_venv / "bin" / "gunicorn",
                          cwd=tmp_path, extra_env=IMAGE_ENV) as server:
        response = server.request("POST", "/v1/advice", b'{"locations": ["calf"]}',
                                  {"Content-Type": "application/json"})

    assert response.status == 200, response.body[:300]
    assert json.loads(response.body)["disclaimer"]
