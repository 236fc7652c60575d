"""The spec's example answer is what the service answers to the spec's example profile.

Swagger UI shows the two side by side; an example that drifted from the knowledge base would
teach integrators advice the service no longer gives. The example answer is abridged (fewer
items), so it must be a part of the live answer, item for item, with the knowledge base's
version the one value allowed to differ (it changes with every edit of ``rules/``).
"""

from tests.support.openapi_check import load_spec

KEYED_LISTS = {"id", "rule"}


def request_example() -> dict:
    operation = load_spec()["paths"]["/v1/advice"]["post"]
    return operation["requestBody"]["content"]["application/json"]["example"]


def answer_example() -> dict:
    return load_spec()["components"]["examples"]["Advice"]["value"]


def departures(shown, live, path="") -> list[str]:
    """Where the example ``shown`` is not a part of ``live``, in words."""
    if isinstance(shown, dict) and isinstance(live, dict):
        return [found for key, value in shown.items()
                for found in (departures(value, live[key], f"{path}.{key}") if key in live
                              else [f"{path}.{key} is not in the answer"])]
    key = next((k for k in KEYED_LISTS if shown and isinstance(shown, list)
                and isinstance(shown[0], dict) and k in shown[0]), None)
    if key and isinstance(live, list):
        by_key = {entry[key]: entry for entry in live}
        return [found for entry in shown
                for found in (departures(entry, by_key[entry[key]], f"{path}[{entry[key]}]")
                              if entry[key] in by_key
                              else [f"{path}[{entry[key]}] is not in the answer"])]
    if isinstance(shown, list) and isinstance(live, list):
        return [f"{path} has {value!r}, not in the answer" for value in shown if value not in live]
    return [] if shown == live else [f"{path} is {shown!r}, the answer has {live!r}"]


def test_the_example_answer_is_a_part_of_the_answer_to_the_example_profile(client):
    live = client.post("/v1/advice", json=request_example()).get_json()
    shown = answer_example()
    shown = {**shown, "knowledge_base": {**shown["knowledge_base"],
                                         "version": live["knowledge_base"]["version"]}}
    assert departures(shown, live) == []


def test_the_comparison_notices_a_changed_text_and_a_missing_item():
    shown = {"warnings": [{"id": "a", "text": "old"}, {"id": "b", "text": "x"}],
             "urgency": "urgent"}
    live = {"warnings": [{"id": "a", "text": "new"}], "urgency": "urgent"}
    assert departures(shown, live) == [".warnings[a].text is 'old', the answer has 'new'",
                                       ".warnings[b] is not in the answer"]
