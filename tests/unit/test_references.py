"""References that hold: each one quoted and used, each safety source following at least one.

Every entry of rules/references.yaml carries the words of the page the service relies on
(``quote``) and what the service uses it for (``claim``); the loader refuses one without them.
Every safety item and safety rule names at least one reference, except the few listed below,
each with the reason no published guidance was found for it; and every reference is cited by
some source. The exceptions are a named list so that a new unreferenced safety source fails
here until someone searches for its guidance or adds it, with a reason, to the list.
"""

from pathlib import Path

import pytest
import yaml

from service.config import PROJECT_ROOT
from service.knowledge.rules_schema import NO_PUBLISHED_BASIS
from tests.support.knowledge import project_knowledge
from tests.support.rules_copies import edit_reference, load_error

RULES = PROJECT_ROOT / "rules"
KB = project_knowledge()

#: Safety sources with no published guidance, as "<item kind> <id>" or "rule <id>", each with
#: the reason. Searched for in stored public pages (NHS, NHS inform, nidirect, NICE, NHS trusts,
#: MSD Manuals) for issue 25; none says what these do. A reviewer removes an entry when
#: guidance is found and cited.
WITHOUT_PUBLISHED_GUIDANCE = {
    "warnings no_contrast_baths":
        "no page on hot-and-cold baths in Raynaud's or narrowed arteries; a news report says a "
        "Raynaud's charity suggests alternating warm and cold water to rewarm, so the "
        "precaution is for clinical review",
    "rule no_contrast_baths_with_poor_circulation": "the rule of no_contrast_baths; same reason",
    "warnings exercises_after_injury":
        "no public page on the article's morning exercises after an injury; rehabilitation "
        "follows the treating clinician",
    "rule exercises_after_injury_or_fracture": "the rule of exercises_after_injury; same reason",
    "warnings never_prick": "no page mentions pricking a cramped muscle; the article suggests it",
    "rule never_prick_the_muscle": "the rule of never_prick; same reason",
    "rule policy_hands_off_a_leg_at_risk":
        "no NHS, NICE or trust page says not to massage, heat or raise a leg that may hold a clot "
        "or have lost its blood supply; found only on massage and sports-injury sites, which are "
        "not cited",
    "rule policy_emergency_only":
        "no page speaks of what else an answer may say beside an ambulance call; the one "
        "message is a precaution",
    "warnings headache_or_swelling":
        "no guidance ties a headache or a swollen face or hands to leg cramps outside pregnancy",
    "rule headache_or_new_swelling": "the rule of headache_or_swelling; same reason",
    "rule fever_suggests_infection":
        "joins a fever to the article's own cause group; no guidance speaks of the article's "
        "groups",
}


def safety_sources() -> dict[str, dict]:
    """Every safety item's and safety rule's source, as the service loaded it, by "<kind> <id>"
    (an item and the rule that adds it often share an id)."""
    sources = {f"{kind} {item_id}": item.source for kind, table in KB.items.items()
               for item_id, item in table.items()
               if item.source and item.source["section"] == "safety"}
    sources.update({f"rule {rule.id}": rule.source for rule in KB.rules
                    if rule.source["section"] == "safety"})
    return sources


def cited_ids(path: Path) -> set[str]:
    """The reference ids the sources of one rules file cite, read from the file itself."""
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sources = [entry.get("source") or {} for entries in content.get("catalogue", {}).values()
               for entry in entries]
    sources += [rule.get("source") or {} for rule in content.get("rules", [])]
    return {ref for source in sources for ref in source.get("references", [])}


REFERENCES = yaml.safe_load((RULES / "references.yaml").read_text(encoding="utf-8"))["references"]
SAFETY = safety_sources()


@pytest.mark.parametrize("source_id", sorted(set(SAFETY) - set(WITHOUT_PUBLISHED_GUIDANCE)))
def test_every_safety_item_and_rule_names_at_least_one_reference(source_id):
    assert SAFETY[source_id].get("references"), (
        f"{source_id} follows no published guidance: cite one from rules/references.yaml, or "
        "add it to WITHOUT_PUBLISHED_GUIDANCE with the reason none was found")


@pytest.mark.parametrize("source_id", sorted(WITHOUT_PUBLISHED_GUIDANCE))
def test_each_exception_is_a_safety_source_that_says_it_has_no_published_guidance(source_id):
    assert source_id in SAFETY, f"{source_id} is no longer a safety item or rule"
    assert not SAFETY[source_id].get("references"), f"{source_id} cites guidance now: unlist it"
    assert SAFETY[source_id]["basis"].lower().startswith(NO_PUBLISHED_BASIS)


def test_every_reference_is_cited_by_some_source():
    cited = set().union(*(cited_ids(path) for path in RULES.glob("*.yaml")))
    assert set(REFERENCES) - cited == set()


@pytest.mark.parametrize("ref_id", sorted(REFERENCES))
def test_every_reference_quotes_its_page_and_says_what_it_is_used_for(ref_id):
    reference = REFERENCES[ref_id]
    assert reference["quote"].strip() and reference["claim"].strip()
    assert reference["quote"].strip() != reference["claim"].strip()


def test_answers_show_a_reference_as_title_publisher_and_address_only():
    shown = {tuple(sorted(ref)) for source in SAFETY.values()
             for ref in source.get("references", [])}
    assert shown == {("publisher", "title", "url")}


@pytest.mark.parametrize("field", ["quote", "claim"])
@pytest.mark.parametrize("value", ["", "   "])
def test_a_reference_without_its_quote_or_claim_is_refused(rules_copy, field, value):
    edit_reference(rules_copy, "nhs_leg_cramps", **{field: value})
    message = load_error(rules_copy)
    assert "references.yaml" in message and field in message


@pytest.mark.parametrize("field", ["quote", "claim"])
def test_a_reference_missing_its_quote_or_claim_is_refused(rules_copy, field):
    path = rules_copy / "references.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["references"]["nhs_leg_cramps"][field]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    message = load_error(rules_copy)
    assert "references.yaml" in message and field in message
