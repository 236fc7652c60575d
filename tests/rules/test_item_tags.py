"""What an item of self-care says it involves (``involves``) matches what its text tells a person
to do, so the safety layer's properties, which read the tags, cannot miss an item.

A word that asks for something (massage, rub, pinch, heat, herbs, supplements, cod liver, a
prescription, getting up quickly, drinking more) needs its tag; the same word after "not", "no"
or "never" is a caution, not advice, and needs none.
"""

import re

import pytest

from tests.support.knowledge import project_knowledge

KB = project_knowledge()
SELF_CARE_KINDS = ("emergency_steps", "lifestyle_rules", "medication_info")
WORDS = {
    "massage": r"massag",
    "rubbing": r"\brub(s|bing)?\b",
    "pinching": r"pinch",
    "heat": r"\bhot (and|or) cold|\bhot water|\bhot bath|\bheat(ing)?\b|\bwarming\b",
    "herbs": r"herb|decoction|horsetail|valerian",
    "supplements": r"supplement|take vitamins|vitamin and mineral complex|vitamins, calcium",
    "vitamin_a_foods": r"cod liver|fish liver",
    "prescription_medicine": r"a doctor may prescribe|a doctor may also advise",
    "standing_up_quickly": r"quickly stand",
    "extra_fluid": r"drink more",
}
CAUTION = re.compile(r"\b(not|no|never)\b[^.;:]*$", re.IGNORECASE)
ITEMS = [item for kind in SELF_CARE_KINDS for item in KB.items.get(kind, {}).values()]


def asks_for(text: str, pattern: str) -> bool:
    """Whether ``text`` asks for what ``pattern`` names, not only warns against it."""
    return any(not CAUTION.search(text[:match.start()])
               for match in re.finditer(pattern, text, re.IGNORECASE))


@pytest.mark.parametrize("item", ITEMS, ids=[f"{item.kind}.{item.id}" for item in ITEMS])
def test_every_self_care_item_carries_the_tag_of_what_its_text_asks_for(item):
    text, tags = item.attrs["text"], set(item.attrs.get("involves", ()))
    missing = [tag for tag, pattern in WORDS.items() if asks_for(text, pattern) and tag not in tags]
    assert missing == [], f"{item.file}: {item.kind} {item.id} asks for {missing} untagged"


def test_the_check_tells_advice_from_a_caution():
    assert asks_for("Massage the muscle.", WORDS["massage"])
    assert not asks_for("Do not massage, rub or pinch the leg.", WORDS["massage"])
    assert asks_for("Do not rush; then massage the foot.", WORDS["massage"])
