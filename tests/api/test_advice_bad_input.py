"""Bad input to POST /v1/advice: every way a body can be wrong gets a problem, never a 500."""

import pytest

from service.contract.vocabulary import ARRAY_FIELDS
from tests.support.builders import a_profile

JSON = "application/json"


def post(client, body):
    return client.post("/v1/advice", json=body)


def post_raw(client, raw: bytes, content_type: str | None = JSON, **kwargs):
    headers = {"Content-Type": content_type} if content_type else {}
    return client.post("/v1/advice", data=raw, headers=headers, **kwargs)


def problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def errors_of(response) -> dict:
    return problem(response)["errors"]


def test_a_typo_in_a_condition_is_rejected_naming_the_field(client):
    errors = errors_of(post(client, a_profile(conditions=["varicose_veins", "diabetis"])))
    assert list(errors) == ["conditions"]
    assert errors["conditions"][0].startswith("Must be one of: dehydration, ")
    assert errors["conditions"][1:] == ["Item 1: 'diabetis' is not an allowed value."]


def test_an_unknown_field_is_rejected_naming_the_field(client):
    assert errors_of(post(client, a_profile(diabetes=True))) == {"diabetes": ["Unknown field."]}


def test_every_offending_field_is_named_at_once(client):
    body = a_profile(locations=[], age=True, sex="f", triggers=["cold"], colour="red")
    assert set(errors_of(post(client, body))) == {"locations", "age", "sex", "triggers", "colour"}


def test_each_field_maps_to_a_flat_list_of_messages(client):
    body = a_profile(symptoms=["itch", "swelling", "ache"], age=-1)
    for messages in errors_of(post(client, body)).values():
        assert messages and all(isinstance(message, str) for message in messages)


@pytest.mark.parametrize(("field", "value"), [
    ("age", True), ("age", "30"), ("age", 2.5), ("age", 2.0),
    ("duration_minutes", True), ("duration_minutes", "5"), ("duration_minutes", [5]),
    ("active_now", 1), ("active_now", "true"), ("smoker", 0), ("pregnant", "yes"),
    ("sex", 1), ("time_of_day", ["night"]), ("frequency", {"weekly": True}),
    ("locations", "calf"), ("conditions", "diabetes"), ("symptoms", [1]),
])
def test_a_value_of_the_wrong_json_type_is_rejected_naming_the_field(client, field, value):
    assert list(errors_of(post(client, a_profile(**{field: value})))) == [field]


@pytest.mark.parametrize("field", ["age", "smoker", "conditions", "sex"])
def test_null_is_not_absent_and_is_rejected_naming_the_field(client, field):
    assert list(errors_of(post(client, {"locations": ["calf"], field: None}))) == [field]


@pytest.mark.parametrize(("field", "value"), [
    ("duration_minutes", 0), ("duration_minutes", -1), ("duration_minutes", 240.01),
    ("duration_minutes", 241), ("duration_minutes", 10**400),
    ("age", -1), ("age", 121), ("age", 10**100),
])
def test_a_number_out_of_range_is_rejected_naming_the_field(client, field, value):
    assert list(errors_of(post(client, a_profile(**{field: value})))) == [field]


@pytest.mark.parametrize("trimester", [0, 4])
def test_a_trimester_out_of_range_is_rejected_naming_the_field(client, trimester):
    body = a_profile(pregnant=True, pregnancy_trimester=trimester)
    assert list(errors_of(post(client, body))) == ["pregnancy_trimester"]


@pytest.mark.parametrize("fields", [
    {"duration_minutes": 240}, {"duration_minutes": 0.5}, {"age": 0}, {"age": 120},
    {"pregnant": True, "pregnancy_trimester": 1}, {"pregnant": True, "pregnancy_trimester": 3},
])
def test_numbers_on_the_bounds_are_accepted(client, fields):
    assert post(client, a_profile(**fields)).status_code == 200


@pytest.mark.parametrize("pregnant", [None, False])
def test_a_trimester_without_pregnant_true_is_rejected_naming_the_trimester(client, pregnant):
    body = a_profile(pregnant=pregnant, pregnancy_trimester=2)
    assert list(errors_of(post(client, body))) == ["pregnancy_trimester"]


def test_a_number_too_large_for_a_float_is_rejected_naming_the_field(client):
    response = post_raw(client, b'{"locations": ["calf"], "duration_minutes": 1e999}')
    assert list(errors_of(response)) == ["duration_minutes"]


@pytest.mark.parametrize("field", sorted(ARRAY_FIELDS))
def test_a_repeated_value_in_an_array_is_rejected_naming_the_field(client, field):
    value = ARRAY_FIELDS[field][0]
    body = a_profile(**{field: [value, value]})
    expected = [f"Values must be distinct; repeated: {value}."]
    assert errors_of(post(client, body)) == {field: expected}


@pytest.mark.parametrize("locations", [None, [], ["calf", "foot", "toes", "thigh", "calf"]])
def test_locations_are_required_with_one_to_four_values(client, locations):
    assert list(errors_of(post(client, a_profile(locations=locations)))) == ["locations"]


@pytest.mark.parametrize("field", sorted(set(ARRAY_FIELDS) - {"locations"}))
def test_other_arrays_may_be_empty(client, field):
    assert post(client, a_profile(**{field: []})).status_code == 200


@pytest.mark.parametrize("raw", [b"", b"{", b'{"locations": ["calf"],}', b"{'a': 1}", b"nope"])
def test_malformed_json_is_a_bad_request_about_the_body_as_a_whole(client, raw):
    document = problem(post_raw(client, raw))
    assert "not valid JSON" in document["detail"]
    assert document["errors"] == {"_schema": [document["detail"]]}


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_literals_are_rejected(client, literal):
    body = b'{"locations": ["calf"], "duration_minutes": ' + literal + b"}"
    assert "NaN" in problem(post_raw(client, body))["detail"]


def test_a_body_nested_twenty_thousand_levels_deep_is_a_bad_request(client):
    assert "nested" in problem(post_raw(client, b"[" * 20_000 + b"]" * 20_000))["detail"]


def test_objects_nested_as_deep_as_the_size_limit_allows_are_a_bad_request(client):
    depth = 12_000  # 5 bytes a level: the deepest nesting of objects under 64 KiB
    assert "nested" in problem(post_raw(client, b'{"":' * depth + b"}" * depth))["detail"]


def test_a_deeply_nested_field_value_is_a_bad_request(client):
    raw = b'{"locations": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    problem(post_raw(client, raw))


def test_a_repeated_key_is_rejected_naming_the_key(client):
    response = post_raw(client, b'{"locations": ["calf"], "age": 30, "age": 70}')
    assert list(errors_of(response)) == ["age"]


@pytest.mark.parametrize("raw", [b"[]", b"null", b'"calf"', b"42", b"true"])
def test_a_body_that_is_not_an_object_is_rejected_as_a_whole(client, raw):
    assert list(errors_of(post_raw(client, raw))) == ["_schema"]


@pytest.mark.parametrize("raw", [
    b'{"locations": ["calf\xff"]}',
    '{"locations": ["calf"]}'.encode("utf-16"),
    b'{"locations": ["\xed\xa0\x80"]}',  # an encoded surrogate is not UTF-8
])
def test_a_body_that_is_not_utf8_is_a_bad_request(client, raw):
    problem(post_raw(client, raw))


def test_a_utf8_byte_order_mark_is_a_bad_request(client):
    problem(post_raw(client, b'\xef\xbb\xbf{"locations": ["calf"]}'))


def test_an_integer_with_thousands_of_digits_is_a_bad_request(client):
    problem(post_raw(client, b'{"locations": ["calf"], "age": ' + b"9" * 5000 + b"}"))


def test_a_lone_surrogate_in_a_field_name_is_reported_not_a_crash(client):
    assert list(errors_of(post_raw(client, b'{"locations": ["calf"], "\\ud800": 1}'))) \
        == ["\ud800"]
