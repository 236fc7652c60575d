"""GET /metrics in process: each counter moves by exactly what the requests made it move.

The session app's counters live for the whole test session, so every test reads ``/metrics``
before and after its requests and compares the difference. Every response is checked against
openapi.yaml by the client. Multi-process summing is tested against real gunicorn in
test_metrics_gunicorn.py.
"""

import pytest

from service import create_app
from service.advice import Advisor
from tests.support.builders import a_profile
from tests.support.fhir_builders import QUESTIONNAIRE_PATH, SERVICE, cds_request, response_to
from tests.support.metrics import samples, value

PREFIX = "leg_cramps_advice_"
REQUESTS = PREFIX + "http_requests_total"
LATENCY_COUNT = PREFIX + "http_request_duration_seconds_count"
RULES = PREFIX + "rules_fired_total"
ANSWERS = PREFIX + "answers_total"
CACHE = PREFIX + "answer_cache_lookups_total"
CALF_AT_NIGHT = a_profile(time_of_day="night", frequency="weekly")
RED_FLAG = a_profile(symptoms=["swelling", "redness"])


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    return samples(response.get_data(as_text=True))


def moved(before: dict, after: dict) -> dict:
    """The samples whose value changed, by how much (the scrape itself left out)."""
    changes = {key: after[key] - before.get(key, 0.0) for key in after
               if after[key] != before.get(key, 0.0)}
    return {key: change for key, change in changes.items()
            if ("route", "/metrics") not in key[1]}


def test_metrics_answers_prometheus_text_with_every_family_the_service_promises(client):
    client.get("/healthz")  # a request is counted once answered: the first scrape may be first
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    names = {name for name, _ in samples(response.get_data(as_text=True))}
    for family in (REQUESTS, LATENCY_COUNT, RULES, ANSWERS, CACHE,
                   PREFIX + "engine_open_sessions"):
        assert family in names, family


def test_every_rule_and_urgency_shows_from_the_start_so_one_that_never_fires_is_visible(
    client, app
):
    scraped = scrape(client)

    for rule in app.extensions[Advisor].kb.rules:
        assert (RULES, frozenset({("rule", rule.id)})) in scraped, rule.id
    for urgency in ("self_care", "routine", "soon", "urgent"):
        assert (ANSWERS, frozenset({("urgency", urgency)})) in scraped, urgency


def test_an_answer_counts_its_request_its_latency_its_urgency_and_each_rule_of_its_trace(client):
    before = scrape(client)
    answer = client.post("/v1/advice", json=CALF_AT_NIGHT).get_json()
    after = scrape(client)

    fired = [step["rule"] for step in answer["trace"]]
    expected = {(REQUESTS, frozenset({("route", "/v1/advice"), ("status", "200")})): 1.0,
                (LATENCY_COUNT, frozenset({("route", "/v1/advice")})): 1.0,
                (ANSWERS, frozenset({("urgency", answer["urgency"])})): 1.0}
    for rule in fired:
        key = (RULES, frozenset({("rule", rule)}))
        expected[key] = expected.get(key, 0.0) + 1.0
    counted = {REQUESTS, LATENCY_COUNT, RULES, ANSWERS}
    assert {key: change for key, change in moved(before, after).items()
            if key[0] in counted} == expected
    assert value(after, PREFIX + "engine_open_sessions") == 0.0


def test_a_refused_profile_counts_a_400_and_no_answer(client):
    before = scrape(client)
    client.post("/v1/advice", json={"locations": ["knee"]})
    after = scrape(client)

    changed = {key[0] for key in moved(before, after)}
    assert value(after, REQUESTS, route="/v1/advice", status="400") - value(
        before, REQUESTS, route="/v1/advice", status="400") == 1.0
    assert RULES not in changed and ANSWERS not in changed


def test_a_parse_counts_its_request_and_latency_and_no_answer_or_rule(client):
    """A draft is no advice: it moves the request counters of its route, nothing else."""
    before = scrape(client)
    assert client.post("/v1/intake/parse", json={"text": "calf cramps at night"}).status_code == 200
    after = scrape(client)

    assert moved(before, after) == {
        (REQUESTS, frozenset({("route", "/v1/intake/parse"), ("status", "200")})): 1.0,
        (LATENCY_COUNT, frozenset({("route", "/v1/intake/parse")})): 1.0,
        **{key: change for key, change in moved(before, after).items()
           if key[0].startswith(PREFIX + "http_request_duration_seconds_")
           and key[0] != LATENCY_COUNT},
    }


@pytest.mark.parametrize(("method", "path", "route", "status"), [
    ("GET", "/docs/swagger-ui.css?zq-secret-7", "/docs/<asset>", "200"),
    ("GET", "/v1/advice?sent=zq-secret-7", "/v1/advice", "405"),
    ("GET", "/no/such/zq-secret-7", "unmatched", "404"),
], ids=["url rule, not the path", "405 keeps its route", "404 has none"])
def test_a_request_is_counted_under_its_url_rule_never_its_raw_path(
    client, method, path, route, status
):
    before = scrape(client)
    assert str(client.open(path, method=method).status_code) == status
    after = scrape(client)

    assert moved(before, after)[(REQUESTS, frozenset({("route", route), ("status", status)}))] == 1
    assert "zq-secret-7" not in client.get("/metrics").get_data(as_text=True)


def test_a_cds_hooks_call_counts_its_answers_urgency_like_advice_does(client):
    questionnaire = client.get(QUESTIONNAIRE_PATH).get_json()
    before = scrape(client)
    response = client.post(SERVICE, json=cds_request(response_to(questionnaire, RED_FLAG)))
    after = scrape(client)

    assert response.status_code == 200
    answered = {dict(key[1])["urgency"]: change for key, change in moved(before, after).items()
                if key[0] == ANSWERS}
    assert answered == {"urgent": 1.0}


def test_with_api_keys_on_metrics_needs_a_key_like_v1(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_KEYS", ("metrics-key-0123456789",))

    refused = client.get("/metrics")
    granted = client.get("/metrics", headers={"Authorization": "Bearer metrics-key-0123456789"})

    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    assert granted.status_code == 200


def test_the_answer_cache_counts_a_miss_then_a_hit_for_a_repeated_profile():
    app = create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 8, "CDS_HOOKS_AUTH": "off"})
    cached = app.test_client()
    profile = a_profile(time_of_day="day", frequency="monthly", age=41)
    before = scrape(cached)

    first, second = (cached.post("/v1/advice", json=profile) for _ in range(2))
    after = scrape(cached)

    assert first.data == second.data
    assert {key: change for key, change in moved(before, after).items()
            if key[0] == CACHE} == {(CACHE, frozenset({("result", "miss")})): 1.0,
                                    (CACHE, frozenset({("result", "hit")})): 1.0}


def test_with_the_cache_off_every_lookup_is_a_miss(client):
    before = scrape(client)
    client.post("/v1/advice", json=CALF_AT_NIGHT)
    client.post("/v1/advice", json=CALF_AT_NIGHT)
    after = scrape(client)

    assert {key: change for key, change in moved(before, after).items()
            if key[0] == CACHE} == {(CACHE, frozenset({("result", "miss")})): 2.0}
