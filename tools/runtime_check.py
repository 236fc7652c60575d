"""Prove that an environment holding the runtime alone can run the server.

    python -m tools.runtime_check     (from the repository root, with the venv's python)

Imports every module of ``service``, then the worker and logger classes gunicorn.conf.py names,
through gunicorn's own loader, as the master does at start-up. A dependency that some package
imports without declaring it (gunicorn 27's gevent worker imports ``packaging``) is missing from a
venv built from ``requirements/runtime.txt`` alone, and fails here by name; a test venv, where a
test tool may bring it along, would hide it. It also checks that every requirement of the
project is installed at a version it allows, following extras (``pyjwt[crypto]`` needs
``cryptography``), which ``pip check`` does not. Exits 1 with one line per failure.
"""

import importlib
import importlib.metadata as metadata
import pkgutil
import runpy
import sys
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "leg-cramps-advice"


def missing_requirements(name: str = PROJECT, extras: frozenset[str] = frozenset(),
                         seen: set | None = None) -> list[str]:
    """Each requirement of ``name`` (with ``extras``), transitively, not installed as allowed."""
    seen = set() if seen is None else seen
    found = []
    for text in metadata.requires(name) or []:
        requirement = Requirement(text)
        wanted = [{"extra": extra} for extra in extras] or [{"extra": ""}]
        if requirement.marker and not any(requirement.marker.evaluate(env) for env in wanted):
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            found.append(f"{name} requires {requirement}, which is not installed")
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            found.append(f"{name} requires {requirement}, but {installed} is installed")
        key = (requirement.name.lower(), frozenset(requirement.extras))
        if key not in seen:
            seen.add(key)
            found += missing_requirements(requirement.name, key[1], seen)
    return found


def service_modules() -> list[str]:
    """Every module and package under ``service``, imported as the server would import them."""
    import service

    failed: list[str] = []
    names = [info.name for info in pkgutil.walk_packages(
        service.__path__, "service.", onerror=failed.append)]
    return ["service", *names, *failed]


def failures(modules: list[str]) -> list[str]:
    found = missing_requirements()
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # every failure is reported, not only the first
            found.append(f"import {name}: {type(error).__name__}: {error}")
    from gunicorn.util import load_class

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    for setting, section in (("worker_class", "gunicorn.workers"),
                             ("logger_class", "gunicorn.loggers")):
        try:
            load_class(settings[setting], section=section)
        except Exception as error:
            # gunicorn's message holds the whole traceback; its last line says what failed.
            cause = [line for line in str(error).splitlines() if line.strip(" []")][-1]
            found.append(f"gunicorn's {setting} {settings[setting]}: {cause}")
    return found


if __name__ == "__main__":
    modules = service_modules()
    problems = failures(modules)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"runtime check: {len(modules)} modules and gunicorn's classes, "
          f"{'OK' if not problems else f'{len(problems)} failures'}")
    sys.exit(1 if problems else 0)
