"""No absolute URL is built from the request's Host: PUBLIC_BASE_URL is the one source.

A client chooses its Host. Before, a token minted for another vendor's URL and sent with that
Host passed the audience check, and the Host reached card links, the CapabilityStatement's
``implementation.url`` and search Bundles. Now those come from ``PUBLIC_BASE_URL`` or are left
out (written relative, for a Bundle's own link), and trusting CDS clients without it stops the
start with a message saying what to set.
"""

import json

import pytest

from service import create_app
from service.config import ConfigurationError, public_base_url
from tests.support.cds_tokens import CdsClient, clients_file
from tests.support.fhir_builders import QUESTIONNAIRE_PATH, SERVICE, cds_request, response_to
from tests.support.gunicorn import running_gunicorn

EVIL = "evil.example"
DVT = {"locations": ["calf"], "side": "one_leg", "symptoms": ["swelling", "redness"]}
EHR = CdsClient("https://ehr.example.org")


@pytest.mark.parametrize(("settings", "expected"), [
    ({"PUBLIC_BASE_URL": "https://advice.example.org/"}, "https://advice.example.org"),
    ({"PUBLIC_BASE_URL": "https://advice.example.org/base"}, "https://advice.example.org/base"),
    ({"PUBLIC_BASE_URL": "http://127.0.0.1:8000"}, "http://127.0.0.1:8000"),
    ({"PUBLIC_BASE_URL": "http://localhost"}, "http://localhost"),
    ({"CDS_HOOKS_BASE_URL": "https://cds.example.org/"}, "https://cds.example.org"),
    ({"FHIR_BASE_URL": "https://x.example/v1/fhir"}, "https://x.example"),
    ({"PUBLIC_BASE_URL": "https://x.example", "FHIR_BASE_URL": "https://x.example/v1/fhir/"},
     "https://x.example"),
    ({}, None), ({"PUBLIC_BASE_URL": " "}, None),
], ids=["https", "prefix", "loopback-ip", "localhost", "old-cds-name", "old-fhir-name",
        "new-and-old-agree", "unset", "blank"])
def test_the_public_base_url_is_read_from_its_setting_or_its_deprecated_names(settings,
                                                                            expected):
    assert public_base_url(settings) == expected


@pytest.mark.parametrize(("settings", "says"), [
    ({"PUBLIC_BASE_URL": "http://advice.example.org"}, "must use https"),
    ({"PUBLIC_BASE_URL": "advice.example.org"}, "absolute"),
    ({"PUBLIC_BASE_URL": "/v1"}, "absolute"),
    ({"PUBLIC_BASE_URL": "https://advice.example.org/?x=1"}, "no query"),
    ({"PUBLIC_BASE_URL": "https://user:pw@advice.example.org"}, "credentials"),
    ({"PUBLIC_BASE_URL": "ftp://advice.example.org"}, "absolute"),
    ({"FHIR_BASE_URL": "https://x.example/fhir"}, "must end with /v1/fhir"),
    ({"PUBLIC_BASE_URL": "https://a.example", "CDS_HOOKS_BASE_URL": "https://b.example"},
     "different public URLs"),
], ids=["http-public", "no-scheme", "relative", "query", "credentials", "ftp", "fhir-path",
        "disagree"])
def test_a_public_base_url_the_service_cannot_stand_behind_stops_the_start(settings, says):
    with pytest.raises(ConfigurationError, match=says):
        create_app({"TESTING": True, **settings})


def test_trusting_cds_clients_without_a_public_url_stops_the_start_saying_what_to_set(tmp_path):
    clients = clients_file(tmp_path / "clients.json", {"iss": EHR.iss, "jwks": EHR.jwks()})

    with pytest.raises(ConfigurationError, match="set PUBLIC_BASE_URL"):
        create_app({"TESTING": True, "CDS_HOOKS_CLIENTS": clients})


def test_without_a_public_url_nothing_absolute_comes_from_the_host(questionnaire):
    client = create_app({"TESTING": True, "CDS_HOOKS_AUTH": "off"}).test_client()
    headers = {"Host": EVIL}

    statement = client.get("/v1/fhir/metadata", headers=headers).get_json()
    bundle = client.get("/v1/fhir/CodeSystem?url=x", headers=headers).get_json()
    found = client.get("/v1/fhir/ValueSet", headers=headers).get_json()
    cards = client.post(SERVICE, json=cds_request(response_to(questionnaire, DVT)),
                        headers=headers).get_json()["cards"]

    assert "url" not in statement["implementation"]
    assert bundle["link"][0]["url"] == "CodeSystem?url=x"
    assert all("fullUrl" not in entry for entry in found["entry"])
    assert EVIL not in json.dumps([statement, bundle, found, cards])
    assert all(link["url"].startswith("https://") for card in cards
               for link in card.get("links", []))


def test_with_a_public_url_the_host_changes_no_link(questionnaire):
    client = create_app({"TESTING": True, "CDS_HOOKS_AUTH": "off",
                         "PUBLIC_BASE_URL": "https://advice.example.org"}).test_client()
    headers = {"Host": EVIL}

    statement = client.get("/v1/fhir/metadata", headers=headers).get_json()
    cards = client.post(SERVICE, json=cds_request(response_to(questionnaire, DVT)),
                        headers=headers).get_json()["cards"]

    assert statement["implementation"]["url"] == "https://advice.example.org/v1/fhir"
    assert "https://advice.example.org/knowledge-base#" in json.dumps(cards)
    assert EVIL not in json.dumps([statement, cards])


@pytest.mark.server
def test_a_token_minted_for_the_callers_host_is_refused_by_a_real_gunicorn(tmp_path):
    clients = clients_file(tmp_path / "clients.json", {"iss": EHR.iss, "jwks": EHR.jwks()})
    with running_gunicorn(tmp_path / "gunicorn.log", workers=1,
                          extra_env={"CDS_HOOKS_CLIENTS": clients}) as server:
        intake = json.loads(server.request("GET", QUESTIONNAIRE_PATH).body)
        body = json.dumps(cds_request(response_to(intake, DVT))).encode()

        def call(audience: str, host: str):
            return server.request("POST", SERVICE, body, {
                "Host": host, "Content-Type": "application/json",
                "Authorization": f"Bearer {EHR.token(audience)}"})

        spoofed = call(f"https://{EVIL}{SERVICE}", EVIL)
        genuine = call(server.base_url + SERVICE, EVIL)

    assert spoofed.status == 401 and b"aud must be" in spoofed.body
    assert genuine.status == 200
    assert EVIL.encode() not in genuine.body
