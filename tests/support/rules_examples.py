"""Reading the answers to the rules files' examples: what each example expects, in words.

``mismatches`` says where an answer departs from what its example expects; the others read the
parts of an answer's other forms that tests/rules/test_examples.py checks for every example.
"""

from tests.support.knowledge import project_knowledge


def example_id(example) -> str:
    """``<file>: <name>``: how tests and tests/rules/answer-digests.json name an example."""
    return f"{example.file}: {example.name}"


def answer_ids(answer: dict, kind: str, kb) -> set[str]:
    """The ids of one kind of item in an answer (tell_the_doctor is answered as texts)."""
    if kind in ("specialists", "tests"):
        return {entry["id"] for entry in answer["referral"][kind]}
    if kind == "tell_the_doctor":
        texts = set(answer["referral"]["tell_the_doctor"])
        return {i for i, item in kb.items[kind].items() if item.attrs["text"] in texts}
    return {entry["id"] for entry in answer[kind]}


def mismatches(example, answer: dict, kb) -> list[str]:
    """What differs between the example's expectation and the answer, in words."""
    expect, found = example.expect, []
    if "urgency" in expect and answer["urgency"] != expect["urgency"]:
        found.append(f"urgency {answer['urgency']} != {expect['urgency']}")
    emergency = expect.get("call_emergency_services")
    if emergency is not None and answer["call_emergency_services"] is not emergency:
        found.append(f"call_emergency_services is {answer['call_emergency_services']}")
    if "referral_needed" in expect and answer["referral"]["needed"] != expect["referral_needed"]:
        found.append(f"referral needed is {answer['referral']['needed']}")
    for kind, ids in expect.get("includes", {}).items():
        missing = set(ids) - answer_ids(answer, kind, kb)
        found += [f"{kind} lacks {sorted(missing)}"] if missing else []
    for kind, ids in expect.get("excludes", {}).items():
        extra = set(ids) & answer_ids(answer, kind, kb)
        found += [f"{kind} has {sorted(extra)}"] if extra else []
    fired = {step["rule"] for step in answer["trace"]}
    if set(expect.get("fired", ())) - fired:
        found.append(f"did not fire {sorted(set(expect['fired']) - fired)}")
    if set(expect.get("not_fired", ())) & fired:
        found.append(f"fired {sorted(set(expect['not_fired']) & fired)}")
    asked = {question["field"] for question in answer["follow_up_questions"]}
    if set(expect.get("follow_up", ())) - asked:
        found.append(f"did not ask about {sorted(set(expect['follow_up']) - asked)}")
    return found


def referenced(actions: list[dict]):
    """The references of a RequestGroup's actions to the resources they act on, however deep."""
    for action in actions:
        if "resource" in action:
            yield action["resource"]["reference"]
        yield from referenced(action.get("action", []))


def empty_values(node, path="$") -> list[str]:
    """Where ``node`` holds a null, an empty string, list or object (CDS Hooks forbids them)."""
    if node is None or node == "" or node == [] or node == {}:
        return [path]
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in empty_values(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in empty_values(value, f"{path}[{i}]")]
    return []


def guidance_urls() -> set[str]:
    """The URL of every published guidance an item of the knowledge base cites."""
    kb = project_knowledge()
    return {ref["url"] for table in kb.items.values() for item in table.values()
            for ref in (item.source or {}).get("references", ())}
