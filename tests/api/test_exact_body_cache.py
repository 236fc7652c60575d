"""A body sent again is answered from the cache before it is parsed, and only when that is
exactly what the full path would answer: same bytes, same media type, a JSON answer wanted."""

import json

import pytest

from service import create_app
from service.api import routes
from tests.support.builders import a_profile
from tests.support.fhir_builders import QUESTIONNAIRE_PATH, response_to

FHIR = "application/fhir+json"
PROFILE = a_profile(time_of_day="night", frequency="weekly", age=52)


@pytest.fixture
def cached():
    """A client of an app with its answer cache on (the shared ``client`` has it off)."""
    return create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 64,
                       "CDS_HOOKS_AUTH": "off"}).test_client()


@pytest.fixture
def validations(monkeypatch) -> list:
    """Each profile the route validates (the real validation runs)."""
    seen: list = []

    def counted(body):
        seen.append(body)
        return load_profile(body)

    load_profile = routes.load_profile
    monkeypatch.setattr(routes, "load_profile", counted)
    return seen


def post(client, body: bytes, content_type: str = "application/json", **headers):
    return client.post("/v1/advice", data=body, content_type=content_type, headers=headers)


def test_the_same_bytes_again_skip_validation_and_get_the_same_answer(cached, validations):
    body = json.dumps(PROFILE).encode()
    first, again = post(cached, body), post(cached, body)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert len(validations) == 1


def test_other_bytes_of_the_same_profile_are_validated_then_answered_alike(cached, validations):
    first = post(cached, json.dumps(PROFILE).encode())
    spaced = post(cached, json.dumps(PROFILE, indent=2).encode())
    assert spaced.data == first.data
    assert len(validations) == 2


def test_the_same_bytes_sent_as_fhir_are_read_as_fhir_not_replayed(cached):
    body = json.dumps(PROFILE).encode()
    assert post(cached, body).status_code == 200
    # A profile is no QuestionnaireResponse: the FHIR path refuses what JSON accepted.
    assert post(cached, body, FHIR).status_code == 400


def test_a_client_that_asks_for_fhir_gets_a_guidance_response_for_bytes_answered_before(cached):
    questionnaire = cached.get(QUESTIONNAIRE_PATH).get_json()
    body = json.dumps(response_to(questionnaire, PROFILE)).encode()
    as_json = post(cached, body, FHIR)
    as_fhir = post(cached, body, FHIR, Accept=FHIR)
    assert as_json.status_code == as_fhir.status_code == 200
    assert as_json.get_json()["urgency"]
    assert as_fhir.mimetype == FHIR and as_fhir.get_json()["resourceType"] == "GuidanceResponse"


def test_fhir_in_another_version_is_still_refused_for_bytes_answered_before(cached):
    body = json.dumps(PROFILE).encode()
    assert post(cached, body).status_code == 200
    assert post(cached, body, Accept=f"{FHIR}; fhirVersion=5.0").status_code == 406


def test_a_questionnaire_response_declared_in_another_fhir_version_is_refused_after_r4(cached):
    questionnaire = cached.get(QUESTIONNAIRE_PATH).get_json()
    body = json.dumps(response_to(questionnaire, PROFILE)).encode()

    statuses = [post(cached, body, f"{FHIR}; fhirVersion={version}").status_code
                for version in ("4.0", "5.0", "4.0", "5.0")]

    assert statuses == [200, 415, 200, 415]


def test_a_refused_body_is_refused_again(cached, validations):
    body = json.dumps({**PROFILE, "age": -1}).encode()
    assert [post(cached, body).status_code for _ in range(2)] == [400, 400]
    assert len(validations) == 2
