"""A copy of the project in which a test adds a value to the contract, as a developer would.

``copy_project(target)`` copies what states the contract or serves it: ``service/``, ``rules/``, the
generator ``tools/contract_docs.py``, ``openapi.yaml`` and ``docs/api.md``. In that copy
``add_value`` edits ``service/contract/vocabulary.py`` (a label in ``LABELS`` and the version in
``ADDED_IN``, found by their place in the source, so the edit is the one a person makes) and
``add_rule`` adds a rules file that uses the value (the knowledge base must use every value:
tests/rules/test_every_value_matters.py), and ``add_phrases`` the value's phrases to the free-text
lexicon (the parser must be able to find every value). ``run_in(copy, ...)`` runs Python with the
copy first on ``PYTHONPATH``, so its code, not the repository's, answers; ``served_by(copy, ...)``
asks the copy's own app what it serves, and ``intake_choices(copy, questionnaire)`` what the copy's
intake page offers for it (by Node.js, tests/support/intake_choices.mjs).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support.gunicorn import REPO_ROOT

COPIED = ("service", "rules", "tools/__init__.py", "tools/contract_docs.py",
          "tools/yaml_splice.py", "openapi.yaml", "docs/api.md")
VOCABULARY = Path("service/contract/vocabulary.py")
INTAKE_STATIC = Path("service/pages/intake_static")
INTAKE_CHOICES = REPO_ROOT / "tests" / "support" / "intake_choices.mjs"
#: The page's modules the form builder needs.
FORM_MODULES = ("intake-form.js", "intake-dom.js")
RUN_TIMEOUT_S = 120
#: Run by the copy's Python: its app's Questionnaire and CodeSystem of ``field``, and its advice
#: to a plain calf cramp without and with the value, written as JSON to the last argument.
_SERVED = """
import json, sys
import service
from service import create_app
field, value, out = sys.argv[1:4]
client = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0}).test_client()
plain = {"locations": ["calf"]}
served = {
    "service": service.__file__,
    "questionnaire": client.get("/v1/fhir/Questionnaire/leg-cramps-intake").get_json(),
    "code_system": client.get("/v1/fhir/CodeSystem/" + field.replace("_", "-")).get_json(),
    "plain": client.post("/v1/advice", json=plain).get_json(),
    "with_value": client.post("/v1/advice", json={**plain, field: [value]}).get_json(),
}
with open(out, "w", encoding="utf-8") as answer:
    json.dump(served, answer)
"""


def copy_project(target: Path) -> Path:
    for name in COPIED:
        source, copied = REPO_ROOT / name, target / name
        copied.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copied, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copied)
    return target


def _dict_named(tree: ast.Module, name: str) -> ast.Dict:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(each, ast.Name) and each.id == name for each in targets):
            assert isinstance(node.value, ast.Dict), name
            return node.value
    raise AssertionError(f"vocabulary.py has no dict {name}")


def _insert_after(source: bytes, node: ast.expr, text: str) -> bytes:
    """``source`` with ``text`` inserted right after ``node`` (ast offsets count bytes)."""
    lines = source.splitlines(keepends=True)
    line = lines[node.end_lineno - 1]
    lines[node.end_lineno - 1] = line[:node.end_col_offset] + text.encode() \
        + line[node.end_col_offset:]
    return b"".join(lines)


def add_value(copy: Path, field: str, value: str, label: str, version: str) -> None:
    """Add ``value`` of ``field`` with its label, added in contract ``version`` (a new one)."""
    path = copy / VOCABULARY
    source = path.read_bytes()
    tree = ast.parse(source)
    labels, added = _dict_named(tree, "LABELS"), _dict_named(tree, "ADDED_IN")
    field_labels = labels.values[[key.value for key in labels.keys].index(field)]
    # ADDED_IN comes after LABELS: edited first, so LABELS' offsets still hold.
    source = _insert_after(source, added.values[-1],
                           f", {version!r}: {{{field!r}: ({value!r},)}}")
    source = _insert_after(source, field_labels.values[-1], f", {value!r}: {label!r}")
    path.write_bytes(source)


def add_rule(copy: Path, field: str, value: str) -> Path:
    """A rules file whose one rule asks for a diagnosis when ``field`` has ``value``."""
    path = copy / "rules" / f"added_{value}.yaml"
    rule = {"id": f"{value}_needs_a_diagnosis", "priority": 30,
            "when": {"all": [f"{field}.{value}"]}, "derive": ["diagnosis_needed"],
            "source": {"section": "safety",
                       "basis": "A test's rule for a test's value: no published guidance."}}
    path.write_text(yaml.safe_dump({"rules": [rule]}, sort_keys=False), encoding="utf-8")
    return path


LEXICON = Path("rules/free_text/lexicon.yaml")


def add_phrases(copy: Path, field: str, value: str, phrases: list[str]) -> None:
    """Give ``value`` of ``field`` its patient-language phrases in the free-text lexicon, which
    must have some for every value of the vocabulary or the parser stops the start
    (service/free_text): a line right under the field's own, as a person adds it."""
    path = copy / LEXICON
    text = path.read_text(encoding="utf-8")
    heading = f"\n  {field}:\n"
    assert text.count(heading) == 1, field
    path.write_text(text.replace(heading, f"{heading}    {value}: {json.dumps(phrases)}\n"),
                    encoding="utf-8")


def run_in(copy: Path, *arguments: str) -> subprocess.CompletedProcess:
    """``python arguments...`` in the copy, with the copy's packages found first."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("RULES_DIR", "OPENAPI_PATH")}
    env.update(PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, *arguments], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT_S, check=False)


def served_by(copy: Path, field: str, value: str) -> dict:
    """What the copy's app serves: see _SERVED."""
    out = copy / "served.json"
    finished = run_in(copy, "-c", _SERVED, field, value, str(out))
    assert finished.returncode == 0, finished.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def intake_choices(copy: Path, questionnaire: dict) -> dict[str, list[list[str]]]:
    """``{linkId: [[value, label], ...]}``: the inputs the copy's intake page builds from
    ``questionnaire``. Its modules are copied beside a package.json that makes them ES modules
    to Node.js, as a browser takes them (``<script type="module">``)."""
    node = shutil.which("node")
    assert node, "Node.js is needed (make test needs it for newman too)"
    modules = copy / "intake-modules"
    modules.mkdir(exist_ok=True)
    for name in FORM_MODULES:
        shutil.copy2(copy / INTAKE_STATIC / name, modules / name)
    (modules / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    finished = subprocess.run([node, str(INTAKE_CHOICES), str(modules)],
                              input=json.dumps(questionnaire), capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_S, check=False)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)
