"""Properties of every draft, on text made of the lexicon's own words and on arbitrary unicode.

Spans index the text exactly; "no" right before a finding never leaves it present; the draft
profile is always a valid request once ``locations`` is added; nothing a person can type makes
the parser raise.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.contract.free_text import MAX_TEXT_CHARS
from service.contract.request import load_profile
from service.contract.vocabulary import ARRAY_FIELDS, BOOLEAN_FIELDS
from tests.support.free_text import lexicon_phrases, words

WORDS = words()
#: Phrases of the fields a "no" can deny (sex, age and sides are not denied by a bare "no").
DENIABLE = sorted((name, str(value), phrase) for (name, value), phrases in lexicon_phrases().items()
                  if name in ARRAY_FIELDS or name in BOOLEAN_FIELDS for phrase in phrases)
texts = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join).map(
    lambda text: text[:MAX_TEXT_CHARS])
SETTINGS = settings(max_examples=300, deadline=None)


@SETTINGS
@given(texts | st.text(max_size=MAX_TEXT_CHARS))
def test_every_span_indexes_the_text_exactly(parser, text):
    draft = parser.parse(text)
    for finding in [*draft.findings, *draft.unmapped]:
        start, end = finding.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == finding.text


@SETTINGS
@given(st.sampled_from(DENIABLE), st.sampled_from(["", "my calf cramps at night. ", "I'm 60, "]))
def test_no_right_before_a_finding_never_leaves_it_present(parser, denied, before):
    name, value, phrase = denied
    text = f"{before}no {phrase}"
    start = len(before) + 3
    present = [f for f in parser.parse(text).findings
               if f.assertion == "present" and f.field == name and str(f.value) == value
               and f.span[0] >= start]
    assert present == []


@SETTINGS
@given(texts)
def test_the_draft_profile_is_a_valid_request_once_locations_are_added(parser, text):
    profile = dict(parser.parse(text).profile)
    profile.setdefault("locations", ["calf"])
    assert load_profile(profile) is not None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=MAX_TEXT_CHARS))
def test_arbitrary_unicode_never_makes_the_parser_raise(parser, text):
    draft = parser.parse(text)
    assert draft.profile is not None


@pytest.mark.parametrize("text", ["", " ", "\n\n", "İ" * 10 + " calf", "ﬀ calf cramps"])
def test_text_whose_case_changes_its_length_keeps_exact_spans(parser, text):
    for finding in parser.parse(text).findings:
        assert text[finding.span[0]:finding.span[1]] == finding.text
