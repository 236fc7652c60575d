"""A broken rules file stops the start with a message naming the file and the rule."""

import pytest

from service import create_app
from service.knowledge import KnowledgeError, load_knowledge
from tests.support.rules_copies import RULES, edit_rule, load_error


def test_the_shipped_knowledge_base_loads():
    kb = load_knowledge(RULES)
    assert kb.rules and kb.examples
    assert kb.version.startswith(kb.meta["version"] + "+")


def test_a_changed_document_is_refused_however_small_the_change(rules_copy):
    document = rules_copy / "document" / "leg-cramps.txt"
    document.write_bytes(document.read_bytes().replace(b"3-5 minutes", b"3-6 minutes"))
    assert "document_sha256" in load_error(rules_copy)


def test_a_condition_on_an_unknown_fact_names_the_file_and_the_rule(rules_copy):
    edit_rule(rules_copy, "classification.yaml", "night_cramps", when={"all": ["time_of_day.nite"]})
    message = load_error(rules_copy)
    assert "classification.yaml" in message and "'night_cramps'" in message
    assert "time_of_day.nite" in message


def test_a_quote_that_is_not_verbatim_is_refused(rules_copy):
    edit_rule(
        rules_copy, "classification.yaml", "regular_cramps",
        source={"section": "How to get rid of leg cramps?", "quote": "Cramps are always harmless."},
    )
    message = load_error(rules_copy)
    assert "'regular_cramps'" in message and "verbatim" in message


def test_a_section_that_is_not_a_heading_of_the_document_is_refused(rules_copy):
    edit_rule(
        rules_copy, "classification.yaml", "regular_cramps",
        source={"section": "Nowhere", "quote": "Regular or daily spasms"},
    )
    assert "section 'Nowhere'" in load_error(rules_copy)


def test_a_rule_adding_an_unknown_item_is_refused(rules_copy):
    edit_rule(rules_copy, "emergency.yaml", "emergency_stop", add={"emergency_steps": ["jump"]})
    message = load_error(rules_copy)
    assert "emergency.yaml" in message and "'emergency_stop'" in message and "'jump'" in message


def test_a_missing_field_is_refused_naming_the_rule(rules_copy):
    edit_rule(rules_copy, "emergency.yaml", "emergency_stop", when={"all": []})
    message = load_error(rules_copy)
    assert "emergency.yaml" in message and "'emergency_stop'" in message


def test_a_duplicate_rule_id_is_refused(rules_copy):
    edit_rule(rules_copy, "emergency.yaml", "emergency_stop", id="night_cramps")
    assert "'night_cramps'" in load_error(rules_copy)


def test_advice_that_gives_a_dose_is_refused(rules_copy):
    path = rules_copy / "lifestyle.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Watch your water", "Take 400 mg magnesium and watch your water"))
    message = load_error(rules_copy)
    assert "lifestyle.yaml" in message
    assert "'water_electrolyte_balance'" in message and "dose" in message


def test_advice_to_prick_with_a_needle_is_refused(rules_copy):
    path = rules_copy / "emergency.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Massage the cramping muscle actively.", "Prick it with a pin."))
    message = load_error(rules_copy)
    assert "emergency.yaml" in message and "'active_massage'" in message


def test_invalid_yaml_names_the_file(rules_copy):
    (rules_copy / "broken.yaml").write_text("rules: [\n", encoding="utf-8")
    assert "broken.yaml" in load_error(rules_copy)


def test_the_app_does_not_start_on_a_broken_rules_directory(rules_copy):
    edit_rule(rules_copy, "classification.yaml", "night_cramps", derive=["time_of_day.night"])
    with pytest.raises(KnowledgeError, match="night_cramps"):
        create_app({"RULES_DIR": str(rules_copy)})


def test_the_version_changes_when_a_rule_changes(rules_copy):
    before = load_knowledge(rules_copy).version
    edit_rule(rules_copy, "classification.yaml", "night_cramps", priority=81)
    assert load_knowledge(rules_copy).version != before


def test_a_missing_rules_folder_is_named_by_its_full_path_and_the_cause(tmp_path):
    missing = tmp_path / "rules"
    assert load_error(missing) == (
        f"{missing}: cannot read the rules folder (No such file or directory)")


def test_a_file_where_the_rules_folder_should_be_is_named(tmp_path):
    path = tmp_path / "rules"
    path.write_text("not a folder")
    assert load_error(path) == f"{path}: cannot read the rules folder (not a folder)"


def test_a_rules_file_that_cannot_be_read_is_named_by_its_full_path_and_the_cause(rules_copy):
    path = rules_copy / "causes.yaml"
    path.unlink()
    path.mkdir()  # read as a file, it fails whoever reads it
    assert load_error(rules_copy) == f"{path}: cannot read the file (Is a directory)"


def test_a_rules_file_that_is_not_utf8_is_named(rules_copy):
    path = rules_copy / "causes.yaml"
    path.write_bytes(path.read_bytes() + "# caf\u00e9\n".encode("latin-1"))
    assert load_error(rules_copy).startswith("causes.yaml: not UTF-8 (invalid ")
