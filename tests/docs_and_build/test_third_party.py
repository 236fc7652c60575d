"""Third-party code in the project: durable-rules as patched, Swagger UI as released.

tools/durable_rules_wheel.py builds durable-rules 2.0.28 from PyPI's hash-checked source with
third_party/durable-rules' two patches; ``make`` installs that build on every Python. Here: the
installed distribution is that build (its local version, a C extension without the symbol Python
3.13 removed), and each patch changes only what its README section says. The Swagger UI files
that GET /docs serves are vendored (service/pages/docs_assets): they must be the release their
README names, byte for byte, with its licence notices.
"""

import hashlib
import importlib.metadata
import re
from pathlib import Path

import durable_rules_engine

from service.pages.docs import ASSETS_DIR
from tools.durable_rules_wheel import PATCHED_VERSION, PATCHES, SHA256, VERSION

CALL_PATCH, LAZY_PATCH = PATCHES


def changed_lines(patch: Path, sign: str) -> list[str]:
    lines = patch.read_text(encoding="utf-8").splitlines()
    return [line[1:] for line in lines if line.startswith(sign) and not line.startswith(sign * 3)]


def patched_files(patch: Path) -> list[str]:
    return re.findall(r"^\+\+\+ b/(\S+)", patch.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_installed_durable_rules_is_the_patched_build():
    assert importlib.metadata.version("durable-rules") == PATCHED_VERSION
    extension = Path(durable_rules_engine.__file__).read_bytes()
    assert b"PyEval_CallObject" not in extension
    assert b"PyObject_CallObject" in extension


def test_the_first_patch_replaces_the_removed_call_and_sets_the_version_and_nothing_else():
    removed, added = changed_lines(CALL_PATCH, "-"), changed_lines(CALL_PATCH, "+")

    assert len(removed) == len(added) == 6
    assert [line.replace("PyEval_CallObject(", "PyObject_CallObject(") for line in removed[1:]] \
        == added[1:]
    assert (removed[0].strip(), added[0].strip()) == (
        f"version = '{VERSION}',", f"version = '{VERSION}+pyobjectcall',")


def test_the_second_patch_changes_only_the_session_state_code_and_the_version():
    assert patched_files(LAZY_PATCH) == ["setup.py", "src/rules/state.c"]
    changed = changed_lines(LAZY_PATCH, "-") + changed_lines(LAZY_PATCH, "+")
    versions = [line.strip() for line in changed if line.strip().startswith("version =")]
    assert versions == [f"version = '{VERSION}+pyobjectcall',",
                        f"version = '{PATCHED_VERSION}',"]
    added = "\n".join(changed_lines(LAZY_PATCH, "+"))
    assert "static unsigned int ensureBetaState(" in added


def test_the_readme_names_the_pinned_hash_the_upstream_fix_and_each_patch():
    readme = (CALL_PATCH.parent / "README.md").read_text(encoding="utf-8")

    assert SHA256 in readme and re.search(r"jruizgit/rules pull request #403", readme)
    assert re.fullmatch(r"[0-9a-f]{64}", SHA256)
    assert all(f"`{patch.name}`" in readme for patch in PATCHES)


def test_uv_lock_pins_the_same_source_archive_the_build_checks():
    lock = (Path(__file__).resolve().parents[2] / "uv.lock").read_text(encoding="utf-8")
    entry = re.search(r'^name = "durable-rules"\nversion = "([^"]+)"\n[^[]*?^sdist = \{[^}]*'
                      r'hash = "sha256:([0-9a-f]{64})"', lock, flags=re.MULTILINE | re.DOTALL)

    assert entry, "uv.lock has no durable-rules source archive"
    assert entry.groups() == (VERSION, SHA256)


def test_the_vendored_swagger_ui_files_are_unchanged_and_carry_their_notices():
    readme = (ASSETS_DIR / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M)
    checksums = {name: digest for digest, name in lines}
    assert set(checksums) == {"swagger-ui-bundle.js", "swagger-ui.css"}
    for name, digest in checksums.items():
        assert hashlib.sha256((ASSETS_DIR / name).read_bytes()).hexdigest() == digest, name
    for notice in ("LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"):
        assert (ASSETS_DIR / notice).is_file(), notice
