"""The safety layer's own format: references never invented, emergencies that say why.

A safety source names the published guidance it follows by id (rules/references.yaml) or says
that there is none; a reference is an https page with a title and a publisher; a rule that calls
emergency services is an urgent safety rule that adds the warning saying why. The loader refuses
anything else, naming the file and the rule or item.
"""

import pytest
import yaml

from tests.support.rules_copies import edit_reference, edit_rule, load_error


def test_a_safety_rule_citing_an_unknown_reference_is_refused(rules_copy):
    edit_rule(rules_copy, "safety.yaml", "emergency_chest_pain",
              source={"section": "safety", "basis": "Made up.", "references": ["nowhere_org"]})
    message = load_error(rules_copy)
    assert "safety.yaml" in message and "'emergency_chest_pain'" in message
    assert "nowhere_org" in message


def test_a_safety_source_without_references_must_say_there_is_no_published_guidance(rules_copy):
    edit_rule(rules_copy, "safety.yaml", "emergency_chest_pain",
              source={"section": "safety", "basis": "Trust me."})
    assert "no published guidance" in load_error(rules_copy)


@pytest.mark.parametrize("url", ["http://www.nhs.uk/leg-cramps", "nhs.uk", "https://"])
def test_a_reference_must_be_an_https_page(rules_copy, url):
    edit_reference(rules_copy, "nhs_leg_cramps", url=url)
    message = load_error(rules_copy)
    assert "references.yaml" in message and "https" in message


def test_a_reference_needs_a_title_and_a_publisher(rules_copy):
    edit_reference(rules_copy, "nhs_leg_cramps", title="")
    assert "references.yaml" in load_error(rules_copy)


def test_a_reference_no_source_cites_is_refused(rules_copy):
    path = rules_copy / "references.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["references"]["unused_page"] = {"title": "T", "publisher": "P",
                                         "url": "https://example.org/page"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "unused_page" in load_error(rules_copy)


def test_a_document_source_cannot_carry_references(rules_copy):
    edit_rule(rules_copy, "classification.yaml", "regular_cramps", source={
        "section": "How to get rid of leg cramps?",
        "quote": "Regular or daily spasms of the legs and feet must be treated comprehensively.",
        "references": ["nhs_leg_cramps"]})
    assert "'regular_cramps'" in load_error(rules_copy)


def test_only_an_urgent_safety_rule_may_call_emergency_services(rules_copy):
    edit_rule(rules_copy, "safety.yaml", "emergency_chest_pain", urgency="soon")
    assert "'emergency_chest_pain'" in load_error(rules_copy)


def test_a_rule_calling_emergency_services_adds_the_warning_that_says_why(rules_copy):
    edit_rule(rules_copy, "safety.yaml", "emergency_chest_pain", add={})
    message = load_error(rules_copy)
    assert "'emergency_chest_pain'" in message and "warning" in message


def test_an_unknown_involves_tag_is_refused(rules_copy):
    path = rules_copy / "emergency.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("involves: [massage]", "involves: [acupuncture]", 1))
    assert "emergency.yaml" in load_error(rules_copy)
