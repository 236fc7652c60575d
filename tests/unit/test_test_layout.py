"""The tests' own layout, as a newcomer relies on it: helpers in tests/support, nothing else shared.

Test modules and conftests import helpers from ``tests.support`` only, never another test
module or conftest; ``tests/`` never imports ``bench/``, and ``bench/`` reaches ``tests/`` only
through ``tests.support``. One ``client`` fixture, in tests/conftest.py. One module runs the
rules files' examples, so the behaviour each shows is tested once, and the checks of docs and
build files are all in tests/docs_and_build.
"""

import ast
import functools
import re
from pathlib import Path

from tests.support.gunicorn import REPO_ROOT

TESTS = REPO_ROOT / "tests"
BENCH = REPO_ROOT / "bench"


@functools.cache
def nodes(path: Path) -> list[ast.AST]:
    """Every node of the syntax tree of ``path``, parsed once per process."""
    return list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def imported_modules(path: Path) -> set[str]:
    """The absolute module names ``path`` imports, anywhere in the file."""
    names = set()
    for node in nodes(path):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def outside_support(paths, *prefixes: str) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        wrong = sorted(name for name in imported_modules(path)
                       if name.split(".")[0] in prefixes and not name.startswith("tests.support")
                       and name != "tests")
        if wrong:
            found[str(path.relative_to(REPO_ROOT))] = wrong
    return found


def test_test_modules_and_conftests_import_nothing_of_tests_but_the_support_package():
    modules = [path for path in TESTS.rglob("*.py") if "support" not in path.parts]
    assert outside_support(modules, "tests", "bench") == {}


def test_the_support_package_does_not_import_bench():
    modules = list((TESTS / "support").rglob("*.py"))
    assert {str(path): sorted(name for name in imported_modules(path)
                              if name.split(".")[0] == "bench")
            for path in modules} == {str(path): [] for path in modules}


def test_bench_reaches_tests_only_through_the_support_package():
    assert outside_support(BENCH.rglob("*.py"), "tests") == {}


def test_there_is_one_client_fixture():
    defined = [str(path.relative_to(REPO_ROOT)) for path in TESTS.rglob("*.py")
               for node in nodes(path)
               if isinstance(node, ast.FunctionDef) and node.name == "client"]
    assert defined == ["tests/conftest.py"]


#: The tests of what is generated from the contract (openapi.yaml, docs/api.md, a client), kept
#: beside the spec by whoever maintains the generator: they read the generated docs, the lock the
#: generator installs from, and the rules examples the spec's vocabulary must agree with.
SPEC_TESTS = {"tests/api/test_openapi_spec.py", "tests/api/test_api_doc.py",
              "tests/api/test_generated_client.py", "tests/api/test_contract_docs.py"}
#: The one module that runs every example of the rules files, and the loader's own test, which
#: checks that the examples are loaded at all.
EXAMPLE_READERS = ["tests/rules/test_examples.py", "tests/unit/test_knowledge_loader.py"]


def test_only_the_examples_module_runs_the_examples_of_the_rules_files():
    """Each example is one test checking every form of its answer; another module looping over
    the examples would test the same behaviour again, 92 times."""
    readers = sorted(str(path.relative_to(REPO_ROOT)) for path in TESTS.rglob("*.py")
                     if "support" not in path.parts
                     and any(isinstance(node, ast.Attribute) and node.attr == "examples"
                             for node in nodes(path)))
    assert readers == EXAMPLE_READERS


#: The names by which a test reaches a doc or a build file.
DOCS_AND_BUILD_FILES = {"README.md", "CHANGELOG.md", "Makefile", "Dockerfile", ".dockerignore",
                        "pyproject.toml", "uv.lock", "package.json", "package-lock.json", "docs",
                        "deploy", "requirements", "third_party"}
DOCS_AND_BUILD_PATH = re.compile(r"(docs|deploy|requirements|third_party)/\S*|[\w.-]+\.md")


def names_a_doc_or_build_file(path: Path) -> bool:
    return any(isinstance(node, ast.Constant) and isinstance(node.value, str)
               and (node.value in DOCS_AND_BUILD_FILES or DOCS_AND_BUILD_PATH.fullmatch(node.value))
               for node in nodes(path))


def test_the_checks_of_docs_and_build_files_are_all_in_tests_docs_and_build():
    readers = sorted(str(path.relative_to(REPO_ROOT)) for path in TESTS.rglob("*.py")
                     if not {"support", "docs_and_build"} & set(path.parts)
                     and path.resolve() != Path(__file__).resolve()  # names them to find them
                     and names_a_doc_or_build_file(path))
    assert [reader for reader in readers if reader not in SPEC_TESTS] == []
