"""A CDS call reads the patient's newest intake, whatever order the EHR's Bundle is in.

A FHIR server may ignore the prefetch template's ``_sort=-authored&_count=1``: an older calf-only
intake first in the Bundle must never hide a newer one that reports chest pain. When the newest
cannot be told (dates missing or overlapping), the cards follow the most urgent candidate and say
so; every card names the intake it read and when it was authored.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.fhir_builders import SERVICE, cds_request, response_to, search_bundle

CALF = {"locations": ["calf"]}
CHEST_PAIN = {"locations": ["calf"], "symptoms": ["chest_pain"]}


def intake(questionnaire, profile, id_, authored=None, **elements) -> dict:
    resource = response_to(questionnaire, profile, id=id_, **elements)
    resource.pop("authored")
    if authored is not None:
        resource["authored"] = authored
    return resource


def cards(client, *resources) -> list[dict]:
    response = client.post(SERVICE, json=cds_request(search_bundle(*resources)))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["cards"]


def is_emergency(found: list[dict]) -> bool:
    return found[0]["indicator"] == "critical" and found[0]["summary"].startswith("Emergency")


@pytest.mark.parametrize("newer_first", [True, False], ids=["newer-first", "older-first"])
def test_a_newer_intake_with_chest_pain_is_read_in_either_order(client, questionnaire,
                                                               newer_first):
    older = intake(questionnaire, CALF, "old", "2026-11-02T08:00:00Z")
    newer = intake(questionnaire, CHEST_PAIN, "new", "2026-12-04T09:00:00+01:00")

    found = cards(client, *([newer, older] if newer_first else [older, newer]))

    assert is_emergency(found)
    assert all("**Intake:** QuestionnaireResponse/new, authored 2026-12-04T09:00:00+01:00"
               in card["detail"] for card in found)


def test_an_older_emergency_is_not_read_once_a_newer_intake_replaces_it(client, questionnaire):
    older = intake(questionnaire, CHEST_PAIN, "old", "2026-11-02")
    newer = intake(questionnaire, CALF, "new", "2026-12-04T09:00:00Z")

    found = cards(client, older, newer)

    assert not is_emergency(found)
    assert "QuestionnaireResponse/new" in found[0]["detail"]


@pytest.mark.parametrize("status", ["entered-in-error", "in-progress", "stopped"])
def test_a_newer_response_that_is_not_a_finished_report_is_passed_over(client, questionnaire,
                                                                      status):
    older = intake(questionnaire, CHEST_PAIN, "old", "2026-11-02T08:00:00Z")
    newer = intake(questionnaire, CALF, "new", "2026-12-04T09:00:00Z", status=status)

    found = cards(client, newer, older)

    assert is_emergency(found)
    assert "QuestionnaireResponse/old" in found[0]["detail"]


@pytest.mark.parametrize(
    ("calf_authored", "chest_authored"),
    [(None, "2026-12-04T09:00:00Z"), ("2026-12-04T09:00:00Z", None),
     ("2026-12-04T09:00:00Z", "2026-12-04T09:00:00Z"), ("2026-12-04", "2026-12-04T20:00:00Z"),
     ("2026-12", "2026-12-01T09:00:00Z")],
    ids=["calf-undated", "chest-undated", "same-instant", "day-and-instant", "month-and-day"],
)
def test_when_the_newest_cannot_be_told_the_cards_follow_the_most_urgent_and_say_so(
        client, questionnaire, calf_authored, chest_authored):
    calf = intake(questionnaire, CALF, "calf", calf_authored)
    chest = intake(questionnaire, CHEST_PAIN, "chest", chest_authored)

    found = cards(client, chest, calf), cards(client, calf, chest)

    for each in found:
        assert is_emergency(each)
        assert "2 intakes could be the latest" in each[0]["detail"]
        assert "QuestionnaireResponse/chest" in each[0]["detail"]


def test_an_intake_without_id_or_authored_is_named_by_its_place(client, questionnaire):
    resource = intake(questionnaire, CALF, "x")
    resource.pop("id")

    found = cards(client, resource)

    assert "the response at prefetch.intake.entry.0.resource, with no authored date" \
        in found[0]["detail"]


@pytest.mark.parametrize("authored", ["yesterday", "2026-02-30", "2026-12-04T09:00:00", 20261204])
def test_an_authored_that_is_no_fhir_date_time_is_a_400_naming_its_entry(client, questionnaire,
                                                                         authored):
    good = intake(questionnaire, CALF, "good", "2026-11-02T08:00:00Z")
    bad = intake(questionnaire, CALF, "bad", authored)

    response = client.post(SERVICE, json=cds_request(search_bundle(good, bad)))

    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"prefetch.intake.entry.1.resource.authored"}


DATES = st.sampled_from(["2026-10-01T08:00:00Z", "2026-11-15", "2026-12-04T09:00:00Z", None])


@given(dated=st.lists(st.tuples(st.booleans(), DATES), min_size=1, max_size=4),
       order=st.randoms(use_true_random=False))
def test_the_cards_do_not_depend_on_the_order_of_the_bundle(app, questionnaire, dated, order):
    client = app.test_client()  # the session's app: hypothesis runs the body many times
    resources = [intake(questionnaire, CHEST_PAIN if chest else CALF, f"r{index}", authored)
                 for index, (chest, authored) in enumerate(dated)]
    shuffled = resources[:]
    order.shuffle(shuffled)

    def summaries(found):
        return [card["summary"] for card in found]

    assert summaries(cards(client, *resources)) == summaries(cards(client, *shuffled))


def test_a_response_sent_alone_is_read_as_the_intake_so_an_unfinished_one_is_a_400(
        client, questionnaire):
    alone = intake(questionnaire, CALF, "alone", "2026-12-04", status="in-progress")

    response = client.post(SERVICE, json=cds_request(alone))

    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"prefetch.intake.status"}


def test_a_status_fhir_does_not_define_is_a_400_even_in_a_bundle(client, questionnaire):
    odd = intake(questionnaire, CALF, "odd", "2026-12-04", status="AAA")

    response = client.post(SERVICE, json=cds_request(search_bundle(odd)))

    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"prefetch.intake.entry.0.resource.status"}
