"""Hypothesis strategies of valid and invalid profiles, built from the contract's vocabularies."""

from hypothesis import strategies as st

from service.contract.vocabulary import ARRAY_FIELDS, BOOLEAN_FIELDS, ENUM_FIELDS, REQUEST_FIELDS


def distinct_list(values, min_size=0, max_size=None):
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size, unique=True)


@st.composite
def valid_profiles(draw) -> dict:
    """Any profile the contract accepts: every optional field present or absent."""
    optional = {
        **{f: distinct_list(v) for f, v in ARRAY_FIELDS.items() if f != "locations"},
        **{f: st.sampled_from(v) for f, v in ENUM_FIELDS.items()},
        **{f: st.booleans() for f in BOOLEAN_FIELDS if f != "pregnant"},
        # The whole valid range, subnormal numbers included: 1e-05 once hid a red flag.
        "duration_minutes": st.floats(min_value=0, max_value=240, exclude_min=True)
        | st.integers(1, 240),
        "age": st.integers(0, 120),
    }
    profile = {"locations": draw(distinct_list(ARRAY_FIELDS["locations"], 1, 4))}
    for field, strategy in optional.items():
        if draw(st.booleans()):
            profile[field] = draw(strategy)
    pregnant = draw(st.sampled_from([None, False, True]))
    if pregnant is not None:
        profile["pregnant"] = pregnant
        if pregnant and draw(st.booleans()):
            profile["pregnancy_trimester"] = draw(st.integers(1, 3))
    return profile


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=8),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def invalid_profiles(draw) -> dict:
    """A valid profile broken in one field: a wrong value, an unknown field, or no locations."""
    profile = draw(valid_profiles())
    how = draw(st.sampled_from(["junk", "unknown_field", "no_locations", "duplicate"]))
    if how == "unknown_field":
        name = draw(st.text(min_size=1, max_size=12).filter(lambda n: n not in REQUEST_FIELDS))
        profile[name] = draw(JUNK)
    elif how == "no_locations":
        del profile["locations"]
    elif how == "duplicate":
        profile["locations"] = [profile["locations"][0]] * 2
    else:
        field = draw(st.sampled_from(REQUEST_FIELDS))
        profile[field] = draw(JUNK.filter(lambda value: not _valid_value(field, value, profile)))
    return profile


def _valid_value(field: str, value, profile: dict) -> bool:
    """Whether ``value`` happens to be valid for ``field`` (then it breaks nothing)."""
    if field in ARRAY_FIELDS:
        return (
            isinstance(value, list) and len(set(map(str, value))) == len(value)
            and all(isinstance(v, str) and v in ARRAY_FIELDS[field] for v in value)
            and (field != "locations" or 1 <= len(value) <= 4)
        )
    if field in ENUM_FIELDS:
        return isinstance(value, str) and value in ENUM_FIELDS[field]
    if field == "pregnant":  # false is valid unless a trimester is given
        return isinstance(value, bool) and (value or "pregnancy_trimester" not in profile)
    if field in BOOLEAN_FIELDS:
        return isinstance(value, bool)
    is_integer = type(value) is int
    if field == "pregnancy_trimester":
        return is_integer and 1 <= value <= 3 and profile.get("pregnant") is True
    if field == "age":
        return is_integer and 0 <= value <= 120
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return is_number and 0 < value <= 240
