"""The lexicon is checked against the contract's vocabulary at load: a mistake stops the start.

Each test copies rules/free_text, breaks one thing, and expects ``LexiconError`` naming it.
"""

import shutil

import pytest
import yaml

from service.contract.vocabulary import LABELS
from service.free_text import LexiconError, build_parser
from tests.support.free_text import LEXICON_DIR


@pytest.fixture
def lexicon_copy(tmp_path):
    target = tmp_path / "free_text"
    shutil.copytree(LEXICON_DIR, target)
    return target


def edit(directory, name, change):
    path = directory / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_lexicon_as_shipped_loads_and_names_every_value_of_the_vocabulary():
    fields = yaml.safe_load((LEXICON_DIR / "lexicon.yaml").read_text(encoding="utf-8"))["fields"]
    for name, values in LABELS.items():
        assert set(values) <= set(fields[name]), name
    assert build_parser(LEXICON_DIR) is not None


def test_a_value_of_the_vocabulary_without_phrases_stops_the_start(lexicon_copy):
    edit(lexicon_copy, "lexicon.yaml", lambda d: d["fields"]["treatments"].pop("statins"))
    with pytest.raises(LexiconError, match="treatments: the value 'statins' has no phrases"):
        build_parser(lexicon_copy)


def test_a_phrase_for_a_value_the_contract_does_not_have_stops_the_start(lexicon_copy):
    edit(lexicon_copy, "lexicon.yaml",
         lambda d: d["fields"]["symptoms"].update({"itching": ["itchy"]}))
    with pytest.raises(LexiconError, match="phrases for 'itching', a value the contract"):
        build_parser(lexicon_copy)


def test_a_field_the_contract_does_not_have_stops_the_start(lexicon_copy):
    edit(lexicon_copy, "lexicon.yaml", lambda d: d["fields"].update({"mood": {"sad": ["sad"]}}))
    with pytest.raises(LexiconError, match="'mood' is not an enum, array or boolean field"):
        build_parser(lexicon_copy)


def test_a_field_left_out_stops_the_start(lexicon_copy):
    edit(lexicon_copy, "lexicon.yaml", lambda d: d["fields"].pop("risk_factors"))
    with pytest.raises(LexiconError, match="the field 'risk_factors' has no phrases"):
        build_parser(lexicon_copy)


def test_an_empty_phrase_stops_the_start(lexicon_copy):
    edit(lexicon_copy, "lexicon.yaml", lambda d: d["fields"]["locations"]["calf"].append("  "))
    with pytest.raises(LexiconError, match="locations: calf: '  ' is not a phrase"):
        build_parser(lexicon_copy)


def test_a_context_category_left_out_stops_the_start(lexicon_copy):
    edit(lexicon_copy, "cues.yaml", lambda d: d.pop("hypothetical"))
    with pytest.raises(LexiconError, match="hypothetical: expected phrases under before"):
        build_parser(lexicon_copy)


def test_a_scope_window_missing_stops_the_start(lexicon_copy):
    edit(lexicon_copy, "cues.yaml", lambda d: d["window"].pop("absent"))
    with pytest.raises(LexiconError, match="window must give a positive number of words"):
        build_parser(lexicon_copy)


def test_a_lexicon_that_is_not_yaml_is_named(lexicon_copy):
    (lexicon_copy / "cues.yaml").write_text("absent: [no\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="cues.yaml is not valid YAML"):
        build_parser(lexicon_copy)


def test_a_missing_lexicon_file_is_named_by_its_path(tmp_path):
    with pytest.raises(LexiconError, match="cannot read .*lexicon.yaml"):
        build_parser(tmp_path)


def test_the_compiled_lexicon_is_read_only_and_a_parse_leaves_no_state(parser):
    with pytest.raises(TypeError):
        parser._lexicon.root.children["calf"] = None
    text = "my left calf cramps most nights, no swelling, I'm 72 and on water tablets"
    first = parser.parse(text)
    parser.parse("if it swells, my mum had a clot; never smoked")
    assert parser.parse(text) == first
