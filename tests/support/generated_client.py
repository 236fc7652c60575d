"""A Python client generated from openapi.yaml by openapi-python-client, as a client's developer
would generate it: ``generate_client(directory)`` runs the generator on the repository's spec
with its settings (openapi-python-client.yaml) and answers what it printed and the imported
package.

The generator runs offline: it reads the spec from disk, and its post hooks run the ruff that is
installed next to this Python (it is put first on PATH). ``operation(package, operation_id)``
finds the module the generator made for an operation, ``operations()`` lists the operationIds
of the spec and the method, path template and security of each. ``fresh_clone(target)`` copies
the repository's files as a clone has them (tracked, or new and not ignored), for ``make client``
to run where nothing was installed before.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from tests.support.gunicorn import REPO_ROOT
from tests.support.openapi_check import HTTP_METHODS, SPEC_PATH, load_spec

CONFIG_PATH = SPEC_PATH.with_name("openapi-python-client.yaml")
PACKAGE = "leg_cramps_advice_client"
GENERATE_TIMEOUT_S = 120


@dataclass(frozen=True)
class Generated:
    output: str
    """Everything the generator printed, stdout and stderr."""
    package: ModuleType


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    security: tuple[str, ...]
    """The names of the security schemes the operation accepts."""


def generate_client(directory: Path) -> Generated:
    """Generate the client into ``directory``/PACKAGE and import it (the directory goes first on
    sys.path; ``forget_client`` takes it away again)."""
    target = directory / PACKAGE
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")])}
    finished = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(SPEC_PATH),
         "--config", str(CONFIG_PATH), "--meta", "none", "--output-path", str(target)],
        cwd=directory, env=env, capture_output=True, text=True, timeout=GENERATE_TIMEOUT_S,
        check=False,
    )
    output = finished.stdout + finished.stderr
    if finished.returncode != 0:
        raise RuntimeError(f"openapi-python-client failed ({finished.returncode}):\n{output}")
    sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    return Generated(output, importlib.import_module(PACKAGE))


def forget_client(directory: Path) -> None:
    """Undo ``generate_client``'s import: its modules and its sys.path entry."""
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]
    sys.path.remove(str(directory))


def snake_case(operation_id: str) -> str:
    """The generator's module name for an operationId: getOpenAPI -> get_open_api."""
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", operation_id)
    return "_".join(word.lower() for word in words)


def operation(package: ModuleType, operation_id: str) -> ModuleType:
    """The generated module of an operation (``sync_detailed``, ``sync``...), whatever its tag."""
    spec = load_spec()
    tag = next(item[method]["tags"][0]
               for item in spec["paths"].values()
               for method in set(item) & set(HTTP_METHODS)
               if item[method]["operationId"] == operation_id)
    return importlib.import_module(f"{package.__name__}.api.{tag}.{snake_case(operation_id)}")


def operations() -> dict[str, Operation]:
    """Every operation of openapi.yaml, by operationId."""
    found = {}
    for path, item in load_spec()["paths"].items():
        for method in set(item) & set(HTTP_METHODS):
            described = item[method]
            schemes = tuple(name for requirement in described.get("security", [])
                            for name in requirement)
            found[described["operationId"]] = Operation(method, path, schemes)
    return found


def fresh_clone(target: Path) -> Path:
    """The repository's files, tracked or new and not ignored, copied to ``target``: what a
    clone of the branch holds, without .venv, node_modules or anything built."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, capture_output=True, check=True, timeout=GENERATE_TIMEOUT_S).stdout
    for name in listed.decode().split("\0"):
        source = REPO_ROOT / name
        if name and source.is_file():  # a file deleted but not yet committed is left out
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target
