"""How an answer of ``POST /v1/advice`` is judged against an independent vignette
(tests/clinical): through the concept map tests/clinical/concepts.yaml, by item ids.

A verdict's outcome is ``pass``; ``under_triage`` (urgency below the lowest accepted, or an
ambulance expected and not called); ``over_triage`` (urgency above the highest accepted, or an
ambulance called that was not expected); ``content`` (triage right, but the referral goes further
up front than the vignette allows, a required concept is missing or a forbidden one present); or
``refused`` (the service answered 400: no advice at all, a failure).
"""

from dataclasses import dataclass

import yaml

from service.config import PROJECT_ROOT
from tests.support.knowledge import project_knowledge

SET = PROJECT_ROOT / "tests" / "clinical"
URGENCIES = ("self_care", "routine", "soon", "urgent")
#: The most each referral expectation allows up front, in the order of how far it goes.
REFERRALS = ("none", "gp", "gp_may_refer", "specialist")
ANSWER_PARTS = ("emergency_steps", "lifestyle_rules", "medication_info", "warnings")
REFERRAL_PARTS = ("specialists", "tests")


def read(name: str):
    """A YAML file of tests/clinical."""
    return yaml.safe_load((SET / name).read_text(encoding="utf-8"))


CONCEPT_MAP: dict = read("concepts.yaml")


def rank(urgency: str) -> int:
    return URGENCIES.index(urgency)


def tell_the_doctor_ids() -> dict[str, str]:
    """The id of each tell_the_doctor item by its text, as answers give only the texts."""
    return {item.attrs["text"]: item_id
            for item_id, item in project_knowledge().items["tell_the_doctor"].items()}


def ids_in(answer: dict) -> dict[str, set[str]]:
    """The ids of the items of each part of an answer."""
    found = {part: {item["id"] for item in answer[part]} for part in ANSWER_PARTS}
    found.update({part: {item["id"] for item in answer["referral"][part]}
                  for part in REFERRAL_PARTS})
    by_text = tell_the_doctor_ids()
    found["tell_the_doctor"] = {by_text.get(text, text)
                                for text in answer["referral"]["tell_the_doctor"]}
    return found


def evidence_of(answer: dict) -> dict[str, list[str]]:
    """The concepts of the vocabulary the answer holds, as tests/clinical/concepts.yaml says,
    each with what showed it (``field=value`` or ``part.id``)."""
    ids = ids_in(answer)
    found: dict[str, list[str]] = {}
    for concept, how in CONCEPT_MAP["concepts"].items():
        field = how.get("field") or {}
        shown = [f"{name}={answer[name]}" for name in field] if field and all(
            answer[name] == value for name, value in field.items()) else []
        shown += [f"{part}.{each}" for part, wanted in (how.get("ids") or {}).items()
                  for each in wanted if each in ids[part]]
        if shown:
            found[concept] = shown
    return found


def concepts_in(answer: dict) -> set[str]:
    return set(evidence_of(answer))


def referral_level(answer: dict) -> str:
    """How far the answer's referral goes up front: ``none``, ``gp`` or ``specialist``.

    The one place referral is judged (tests/clinical/concepts.yaml, "Referral"). A specialist
    the answer names only as something the GP may arrange is not up front; when the contract
    gives such specialists a part of their own, this function leaves that part out.
    """
    referral = answer["referral"]
    work_up = CONCEPT_MAP["referral"]["specialist_work_up"]
    if any(item["id"] in work_up[part] for part in REFERRAL_PARTS for item in referral[part]):
        return "specialist"
    if referral["needed"] or referral["specialists"] or referral["tests"]:
        return "gp"
    return "none"


def referral_fits(expected: str, answer: dict) -> bool:
    """The answer proposes no more up front than the vignette's ``referral`` allows."""
    level = referral_level(answer)
    allowed = {"none": {"none"}, "gp": {"none", "gp"}, "gp_may_refer": {"none", "gp"},
               "specialist": {"none", "gp", "specialist"}}[expected]
    return level in allowed


@dataclass(frozen=True)
class Verdict:
    vignette: dict
    outcome: str
    reasons: tuple[str, ...]
    answer: dict | None = None

    @property
    def id(self) -> str:
        return self.vignette["id"]

    @property
    def triage_right(self) -> bool:
        """Urgency in the accepted set and the ambulance as expected."""
        expected, answer = self.vignette["expected"], self.answer
        return (answer is not None and answer["urgency"] in expected["urgency"]
                and answer["call_emergency_services"] == expected["call_emergency_services"])

    @property
    def referral_too_far(self) -> bool:
        return (self.answer is not None
                and not referral_fits(self.vignette["expected"]["referral"], self.answer))

    def has(self, concept: str) -> bool:
        return self.answer is not None and concept in concepts_in(self.answer)


def judge(vignette: dict, status: int, answer: dict) -> Verdict:
    """The verdict on one answer: its outcome and every reason it is not a pass."""
    if status != 200:
        fields = ", ".join(sorted(answer.get("errors", {})))
        return Verdict(vignette, "refused", (f"refused ({status}): {fields}",))
    expected = vignette["expected"]
    accepted = [rank(each) for each in expected["urgency"]]
    got, ambulance = rank(answer["urgency"]), answer["call_emergency_services"]
    under, over, reasons = [], [], []
    if got < min(accepted):
        under.append(f"urgency {answer['urgency']}, expected {'/'.join(expected['urgency'])}")
    if got > max(accepted):
        over.append(f"urgency {answer['urgency']}, expected {'/'.join(expected['urgency'])}")
    if expected["call_emergency_services"] and not ambulance:
        under.append("no ambulance")
    if ambulance and not expected["call_emergency_services"]:
        over.append("ambulance not expected")
    if not referral_fits(expected["referral"], answer):
        reasons.append(f"referral {referral_level(answer)} up front, at most "
                       f"{expected['referral']}")
    present = evidence_of(answer)
    reasons += [f"missing {each}" for each in expected["require"] if each not in present]
    reasons += [f"forbidden {each} ({', '.join(present[each])})"
                for each in expected["forbid"] if each in present]
    outcome = ("under_triage" if under else "over_triage" if over
               else "content" if reasons else "pass")
    return Verdict(vignette, outcome, tuple(under + over + reasons), answer)
