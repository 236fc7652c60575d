"""The contract has one source, service/contract/vocabulary.py, and a value added there reaches
every place that states the contract: openapi.yaml and docs/api.md through the generator
(tools/contract_docs.py, ``make contract-docs``), the FHIR Questionnaire and its CodeSystem at
run time, and so the intake page's choices.

The proof adds a value in a copy of the project (tests/support/contract_copy.py), as a developer
would: a label and a version in the vocabulary, a rule that uses it, since the knowledge base must
use every value, and its phrases in the free-text lexicon, since the parser of
``POST /v1/intake/parse`` must find every value. Then the copy's generator runs, and the copy's
own code, in a process of its own, serves the Questionnaire and the advice. Nothing else is edited
by hand.
"""

import filecmp
from types import SimpleNamespace

import pytest
import yaml

from service.contract.vocabulary import SYMPTOMS
from tests.support.contract_copy import (
    COPIED,
    LEXICON,
    VOCABULARY,
    add_phrases,
    add_rule,
    add_value,
    copy_project,
    intake_choices,
    run_in,
    served_by,
)
from tests.support.gunicorn import REPO_ROOT
from tools import contract_docs
from tools.yaml_splice import replace_between, replace_values

FIELD, VALUE, VERSION = "symptoms", "restless_legs", "1.3"
LABEL = "An urge to move the legs when resting"
GENERATE = ("-m", "tools.contract_docs")


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """A copy with the value and its rule added, before and after its generator wrote."""
    copy = copy_project(tmp_path_factory.mktemp("contract"))
    add_value(copy, FIELD, VALUE, LABEL, VERSION)
    rule = add_rule(copy, FIELD, VALUE)
    add_phrases(copy, FIELD, VALUE, ["urge to move my legs"])
    stale = run_in(copy, *GENERATE, "--check")
    written = run_in(copy, *GENERATE, "--write")
    fresh = run_in(copy, *GENERATE, "--check")
    return SimpleNamespace(copy=copy, rule=rule, stale=stale, written=written, fresh=fresh,
                           served=served_by(copy, FIELD, VALUE))


def _spec(path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=contract_docs.LOADER)  # noqa: S506


def _changed_files(copy) -> set[str]:
    changed = set()
    for name in COPIED:
        source = REPO_ROOT / name
        pairs = ([(path, copy / path.relative_to(REPO_ROOT)) for path in source.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts]
                 if source.is_dir() else [(source, copy / name)])
        changed |= {str(ours.relative_to(REPO_ROOT)) for ours, theirs in pairs
                    if not filecmp.cmp(ours, theirs, shallow=False)}
    return changed


#: Hand-written YAML as openapi.yaml has it: comments, flow lists, odd spacing, quotes.
HAND_WRITTEN = """\
# stays
a:
  keep: [x,   y]   # stays too
  generated:
    old: [1, 2]
    older: |
      text

  # a comment after the generated value stays
  after: 'quoted'
"""


def test_the_generated_parts_of_the_repository_are_what_the_vocabulary_says():
    assert contract_docs.stale() == {}, "run make contract-docs"


def test_the_400_example_is_the_services_own_answer_to_its_request(client):
    response = client.post("/v1/advice", json=contract_docs.INVALID_REQUEST)
    example = _spec(REPO_ROOT / "openapi.yaml")["components"]["responses"]["BadRequest"][
        "content"]["application/problem+json"]["examples"]["invalid_fields"]["value"]

    assert response.status_code == 400
    assert response.get_json() == example


def test_a_generated_value_replaces_its_own_lines_and_leaves_every_other_byte():
    written = replace_values(HAND_WRITTEN, {("a", "generated"): {"new": ["v", "w: x"]}})
    assert written == HAND_WRITTEN.replace(
        "    old: [1, 2]\n    older: |\n      text\n", "    new:\n      - v\n      - 'w: x'\n")


def test_a_scalar_on_its_keys_line_is_replaced_on_that_line_and_nothing_else():
    written = replace_values(HAND_WRITTEN, {("a", "after"): "new value"})
    assert written == HAND_WRITTEN.replace("after: 'quoted'", "after: new value")
    with pytest.raises(ValueError, match="takes a scalar"):
        replace_values(HAND_WRITTEN, {("a", "after"): ["a", "list"]})


def test_a_value_that_is_not_a_block_of_its_own_lines_or_not_there_is_refused():
    with pytest.raises(ValueError, match="not a block"):
        replace_values(HAND_WRITTEN, {("a", "keep"): ["z"]})
    with pytest.raises(ValueError, match="no key 'missing'"):
        replace_values(HAND_WRITTEN, {("a", "missing", "b"): 1})
    with pytest.raises(ValueError, match="no key 'x'"):
        replace_values(HAND_WRITTEN, {("a", "after", "x"): 1})
    with pytest.raises(ValueError, match="markers"):
        replace_between("<!-- start -->\ntext\n", "<!-- start -->", "<!-- end -->", "new\n")


def test_the_generator_calls_the_copy_stale_until_it_writes_and_touches_only_its_files(added):
    assert added.stale.returncode == 1
    assert "openapi.yaml" in added.stale.stderr and "docs/api.md" in added.stale.stderr
    assert "run make contract-docs" in added.stale.stderr
    assert added.written.returncode == 0, added.written.stderr
    assert added.fresh.returncode == 0, added.fresh.stderr
    assert _changed_files(added.copy) == {str(VOCABULARY), "openapi.yaml", "docs/api.md",
                                          str(LEXICON)}
    assert {path.name for path in (added.copy / "rules").iterdir()} - {
        path.name for path in (REPO_ROOT / "rules").iterdir()} == {added.rule.name}


def test_the_value_reaches_openapi_yaml_with_its_label_and_version(added):
    spec = _spec(added.copy / "openapi.yaml")
    ours = _spec(REPO_ROOT / "openapi.yaml")
    symptom = spec["components"]["schemas"].pop("Symptom")
    before = ours["components"]["schemas"].pop("Symptom")

    assert symptom["enum"] == [*before["enum"], VALUE]
    assert f"- `{VALUE}`: {LABEL} (since {VERSION})" in symptom["description"]
    assert spec == ours, "the generator changed more than the schema of the field's values"


def test_the_value_reaches_the_values_table_of_docs_api_md(added):
    page = (added.copy / "docs" / "api.md").read_text(encoding="utf-8").splitlines()
    ours = (REPO_ROOT / "docs" / "api.md").read_text(encoding="utf-8").splitlines()

    row = f"|  | `{VALUE}` ({VERSION}) | {LABEL} |"
    assert [line for line in page if line not in ours] == [row]
    assert page.index(row) == page.index("| `symptoms` | `swelling` | Swelling |") + len(SYMPTOMS)


def test_the_copys_own_code_serves_the_value_in_the_questionnaire_and_its_code_system(added):
    served = added.served
    item = next(item for item in served["questionnaire"]["item"] if item["linkId"] == FIELD)
    options = {option["valueCoding"]["code"]: option["valueCoding"]["display"]
               for option in item["answerOption"]}
    concepts = {concept["code"]: concept["display"] for concept in served["code_system"]["concept"]}

    assert served["service"].startswith(str(added.copy)), "the repository's code answered"
    assert options[VALUE] == concepts[VALUE] == LABEL
    assert list(options)[-1] == VALUE


def test_the_value_changes_the_advice_through_the_rule_added_with_it(added):
    plain, with_value = added.served["plain"], added.served["with_value"]
    assert f"{VALUE}_needs_a_diagnosis" not in str(plain["trace"])
    assert f"{VALUE}_needs_a_diagnosis" in str(with_value["trace"])
    assert (with_value["urgency"], with_value["referral"]["needed"]) != (
        plain["urgency"], plain["referral"]["needed"])


@pytest.mark.server  # it runs Node.js
def test_the_intake_page_offers_the_value_with_its_label(added):
    choices = intake_choices(added.copy, added.served["questionnaire"])

    assert [VALUE, LABEL] in choices[FIELD]
    assert [value for value, _ in choices[FIELD]] == [
        option["valueCoding"]["code"] for option in next(
            item for item in added.served["questionnaire"]["item"]
            if item["linkId"] == FIELD)["answerOption"]]
