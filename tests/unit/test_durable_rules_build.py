"""The durable-rules this process runs is the patched build, and the patch is the one it says.

tools/durable_rules_wheel.py builds durable-rules 2.0.28 from PyPI's hash-checked source with
third_party/durable-rules/pyobject-callobject.patch; ``make`` installs that build on every
Python. Here: the installed distribution is that build (its local version, a C extension without
the symbol Python 3.13 removed), and the patch changes nothing else.
"""

import importlib.metadata
import re
from pathlib import Path

import durable_rules_engine

from tools.durable_rules_wheel import PATCH, PATCHED_VERSION, SHA256, VERSION


def changed_lines(sign: str) -> list[str]:
    lines = PATCH.read_text(encoding="utf-8").splitlines()
    return [line[1:] for line in lines if line.startswith(sign) and not line.startswith(sign * 3)]


def test_the_installed_durable_rules_is_the_patched_build():
    assert importlib.metadata.version("durable-rules") == PATCHED_VERSION
    extension = Path(durable_rules_engine.__file__).read_bytes()
    assert b"PyEval_CallObject" not in extension
    assert b"PyObject_CallObject" in extension


def test_the_patch_replaces_the_removed_call_and_sets_the_version_and_nothing_else():
    removed, added = changed_lines("-"), changed_lines("+")

    assert len(removed) == len(added) == 6
    assert [line.replace("PyEval_CallObject(", "PyObject_CallObject(") for line in removed[1:]] \
        == added[1:]
    assert (removed[0].strip(), added[0].strip()) == (
        f"version = '{VERSION}',", f"version = '{PATCHED_VERSION}',")


def test_the_readme_names_the_pinned_hash_and_the_upstream_fix():
    readme = (PATCH.parent / "README.md").read_text(encoding="utf-8")

    assert SHA256 in readme and re.search(r"jruizgit/rules pull request #403", readme)
    assert re.fullmatch(r"[0-9a-f]{64}", SHA256)
