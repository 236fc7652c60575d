"""CDS Hooks cards from an advice answer: one card per finding a clinician acts on.

* a finding that needs an ambulance (a warning added by a rule that calls emergency services)
  is a ``critical`` card that comes first and says so;
* each other red flag (a warning added by a rule of urgency ``urgent``) is a ``critical`` card;
* the referral (specialists, tests, possible causes, what to ask) is a ``warning`` card;
* the self-care advice (first aid, prevention, medicines, cautions) is an ``info`` card.

Every card names its source: the article, or the service's safety layer for a red flag, and
every item in a card's markdown says which section of the article (or the safety layer) it comes
from. CDS Hooks forbids null and empty values, so what is empty is left out.
"""

import uuid

from service.cds.card_text import (
    cite,
    code_list,
    references,
    reported_facts,
    section,
    shorten,
    source_of,
)

PHASE_HEADINGS = {"during_cramp": "During a cramp", "at_onset": "At the first warning signs",
                  "night": "At night"}
REFERRAL_SUMMARY = {"urgent": "Seek care today", "soon": "See a doctor within a day or two",
                    "routine": "Book a doctor's visit", "self_care": "A doctor's visit may help"}
#: With an ambulance called, the referral is what follows it, never a competing "today".
AFTER_THE_EMERGENCY = "After the emergency care, follow up with"


class CardMaker:
    """Turns answers into cards for one knowledge base."""

    def __init__(self, kb):
        self.kb = kb
        self.urgency = {rule.id: rule.urgency for rule in kb.rules}
        self.emergency = {rule.id for rule in kb.rules if rule.call_emergency_services}
        title = next(line.strip() for line in kb.document.splitlines() if line.strip())
        self.article = f"Article “{title}” (leg-cramps-advice knowledge base {kb.version})"
        self.safety = f"Safety layer of leg-cramps-advice, beyond the article “{title}”"

    def cards(self, answer: dict) -> list[dict]:
        """The cards of one answer, most urgent first."""
        emergencies, flags, flagged, cautions = [], [], [], []
        for warning in answer["warnings"]:
            levels = {self.urgency[rule] for rule in warning["rules"]}
            if self.emergency & set(warning["rules"]):
                emergencies.append(warning)
            elif "urgent" in levels:
                flags.append(warning)
            elif levels & {"soon", "routine"}:
                flagged.append(warning)
            else:
                cautions.append(warning)
        cards = [self._red_flag(warning, answer, emergency=True) for warning in emergencies]
        cards += [self._red_flag(warning, answer) for warning in flags]
        if answer["referral"]["needed"]:
            cards.append(self._referral(answer, flagged, critical=not (flags or emergencies)))
        else:
            cautions = flagged + cautions
        # The questions go with the referral, or with self-care when there is no referral.
        cards.append(self._self_care(answer, cautions,
                                     with_questions=not answer["referral"]["needed"]))
        return [card for card in cards if card is not None]

    def _card(self, summary: str, indicator: str, parts: list[str], label: str) -> dict:
        detail = "\n\n".join(part for part in parts if part)
        return {"uuid": str(uuid.uuid4()), "summary": shorten(summary), "indicator": indicator,
                "detail": detail, "source": {"label": label}}

    def _red_flag(self, warning: dict, answer: dict, emergency: bool = False) -> dict:
        because = reported_facts((fact for step in answer["trace"]
                                  if step["rule"] in warning["rules"]
                                  for fact in step["because"]), answer["trace"])
        source = warning["source"]
        action = ("Call emergency services now: an ambulance is needed." if emergency
                  else "Seek medical care today.")
        return self._card(
            f"{'Emergency' if emergency else 'Red flag'}: {warning['text']}", "critical",
            [f"**{action}** {warning['text']}",
             f"**Why:** the intake reports {code_list(because)}." if because else "",
             f"*Source: {source_of(warning)}: {source.get('basis') or source.get('quote')}*",
             references(warning),
             f"_{answer['disclaimer']}_"],
            self.safety if source.get("section") == "safety" else self.article,
        )

    def _referral(self, answer: dict, flagged: list, critical: bool) -> dict:
        referral, urgency = answer["referral"], answer["urgency"]
        emergency = answer["call_emergency_services"]
        names = ", ".join(s["label"].lower() for s in referral["specialists"])
        causes = [f"{group['label']}{' (dangerous)' if group['dangerous'] else ''}, from "
                  f"{code_list(group['evidence'])}" for group in answer["cause_groups"]]
        parts = [
            (f"**Urgency: emergency.** {self.kb.meta['summary']['call_emergency_services']}"
             if emergency else
             f"**Urgency: {urgency.replace('_', ' ')}.** {self.kb.meta['summary'][urgency]}"),
            section("Specialists", [f"{s['label']}: {s['reason']}"
                                    for s in referral["specialists"]]),
            section("Tests", [test["label"] for test in referral["tests"]]),
            section("Possible causes", causes),
            section("Warnings", [cite(w) for w in flagged]),
            section("Tell the doctor", referral["tell_the_doctor"]),
            _questions(answer),
            f"_{answer['disclaimer']}_",
        ]
        indicator = "critical" if critical and urgency == "urgent" else "warning"
        lead = AFTER_THE_EMERGENCY if emergency else REFERRAL_SUMMARY[urgency]
        summary = f"{lead}: {names}" if names else lead
        return self._card(summary, indicator, parts, self.article)

    def _self_care(self, answer: dict, cautions: list, with_questions: bool) -> dict | None:
        steps = answer["emergency_steps"]
        phases = [section(heading, [cite(s) for s in steps if s["phase"] == phase])
                  for phase, heading in PHASE_HEADINGS.items()]
        medicines = [cite(m) + (" *(prescription only)*" if m["prescription_only"] else "")
                     for m in answer["medication_info"]]
        parts = [*phases,
                 section("Prevention", [cite(rule) for rule in answer["lifestyle_rules"]]),
                 section("Medicines", medicines),
                 section("Cautions", [cite(w) for w in cautions])]
        if not any(parts):
            return None
        if with_questions:
            parts.append(_questions(answer))
        parts.append(f"_{answer['disclaimer']}_")
        counts = [f"{len(steps)} first-aid steps" if steps else "",
                  f"{len(answer['lifestyle_rules'])} prevention rules"
                  if answer["lifestyle_rules"] else ""]
        counted = " and ".join(count for count in counts if count)
        summary = "Self-care for the leg cramps" + (f": {counted}" if counted else "")
        return self._card(summary, "info", parts, self.article)


def _questions(answer: dict) -> str:
    return section("Not reported yet, could change the advice",
                   [question["question"] for question in answer["follow_up_questions"]])
