"""CDS Hooks cards from an advice answer: one card per finding a clinician acts on.

The cards are written for the clinician who opens the chart: in the third person, saying what
the intake reports, how urgent it is, and what the patient has been told (the knowledge base's
own texts, which address the patient, are quoted as such).

* a finding that needs an ambulance (a warning added by a rule that calls emergency services)
  is a ``critical`` card that comes first and says so;
* each other red flag (a warning added by a rule of urgency ``urgent``) is a ``critical`` card;
* the referral (specialists, tests, possible causes, history to take) is a ``warning`` card,
  with a suggestion per specialist and test that creates a draft FHIR ``ServiceRequest``;
* the self-care advice the patient got (first aid, prevention, medicines, cautions) is an
  ``info`` card.

Every card's ``source`` names the article or the service's safety layer, with a ``url``: the
guidance page a safety item follows, else the item on the knowledge-base page (when the service
knows its public URL, ``PUBLIC_BASE_URL``); ``links`` add the other guidance pages. A critical
card offers ``overrideReasons``. CDS Hooks forbids null and empty values, so what is empty is
left out.
"""

import uuid

from service.advice.advisor import in_sentence
from service.contract.answer import Answer, Warning
from service.contract.documents import JSONObject
from service.interop.cds.card_actions import Page, guidance_link, suggested_requests
from service.interop.cds.card_text import (
    cite,
    code_list,
    references,
    reported_facts,
    section,
    shorten,
    source_of,
)
from service.interop.fhir.requests import override_reasons
from service.knowledge.model import KnowledgeBase

PHASE_HEADINGS = {"during_cramp": "During a cramp", "at_onset": "At the first warning signs",
                  "night": "At night"}
#: How soon the clinician should see the patient, by the answer's urgency.
REFERRAL_LEAD = {"urgent": "Needs assessment today", "soon": "Assessment within 1-2 days",
                 "routine": "Routine assessment", "self_care": "Optional review"}
#: Said on every card of an intake that carries the patient's own words (the Questionnaire's
#: ``free_text`` item): its answers were drafted from them, and the patient confirmed each.
OWN_WORDS = "Answers drafted from the patient's own words and confirmed by them."
#: With an ambulance called, the referral is what follows it, never a competing "today".
AFTER_THE_EMERGENCY = "After emergency care, consider referral to"


class CardMaker:
    """Turns answers into cards for one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.urgency = {rule.id: rule.urgency for rule in kb.rules}
        self.emergency = {rule.id for rule in kb.rules if rule.call_emergency_services}
        title = next(line.strip() for line in kb.document.splitlines() if line.strip())
        self.article = f"Article “{title}” (leg-cramps-advice knowledge base {kb.version})"
        self.safety = f"Safety layer of leg-cramps-advice, beyond the article “{title}”"

    def cards(self, answer: Answer, patient_id: str, kb_page: str | None,
              intake: str, own_words: bool = False) -> list[JSONObject]:
        """The cards of one answer, most urgent first; ``kb_page`` is the absolute URL of the
        knowledge-base page, whose anchors are ``<kind>-<id>`` (None: no links to it);
        ``intake`` says which intake the answer is to, and every card ends with it and the
        disclaimer; ``own_words``, that the intake's answers were drafted from the patient's
        own words (its ``free_text`` item) and confirmed by them, which every card then says."""
        footer = [f"**Intake:** {intake}", OWN_WORDS if own_words else "",
                  f"_{answer.disclaimer}_"]
        emergencies, flags, flagged, cautions = [], [], [], []
        for warning in answer.warnings:
            levels = {self.urgency[rule] for rule in warning.rules}
            if self.emergency & set(warning.rules):
                emergencies.append(warning)
            elif "urgent" in levels:
                flags.append(warning)
            elif levels & {"soon", "routine"}:
                flagged.append(warning)
            else:
                cautions.append(warning)
        page = Page(kb_page)
        cards: list[JSONObject | None] = [
            self._red_flag(warning, answer, page, footer, emergency=True)
            for warning in emergencies]
        cards += [self._red_flag(warning, answer, page, footer) for warning in flags]
        referral = answer.referral
        if referral.needed and (referral.specialists or referral.tests):
            cards.append(self._referral(answer, flagged, page, patient_id, footer,
                                        critical=not (flags or emergencies)))
        elif answer.call_emergency_services:
            # The ambulance crew and the hospital decide what follows: the emergency card
            # is the whole message.
            return [card for card in cards if card is not None]
        else:
            cautions = flagged + cautions
        # The questions go with the referral, or with self-care when there is no referral.
        cards.append(self._self_care(answer, cautions, page, footer,
                                     with_questions=not answer.referral.needed))
        return [card for card in cards if card is not None]

    def _card(self, summary: str, indicator: str, parts: list[str], source: JSONObject,
              links: list[JSONObject]) -> JSONObject:
        card: JSONObject = {
            "uuid": str(uuid.uuid4()), "summary": shorten(summary), "indicator": indicator,
            "detail": "\n\n".join(part for part in parts if part), "source": source}
        if links:
            card["links"] = links
        if indicator == "critical":
            card["overrideReasons"] = override_reasons()
        return card

    def _red_flag(self, warning: Warning, answer: Answer, page: Page, footer: list[str],
                  emergency: bool = False) -> JSONObject:
        because = reported_facts((fact for step in answer.trace
                                  if step.rule in warning.rules
                                  for fact in step.because), answer.trace)
        source = warning.source
        finding = self._finding(warning)
        action = ("Emergency: the patient has been told to call an ambulance now." if emergency
                  else "Red flag: the patient has been told to seek medical care today.")
        guidance = [guidance_link(ref) for ref in source.references]
        links = guidance + page.links("warnings", warning.id,
                                      "This finding in the knowledge base")
        return self._card(
            f"{'Emergency' if emergency else 'Red flag'}: {in_sentence(finding)}",
            "critical",
            [f"**{action}**",
             f"**Reported in the intake:** {code_list(because)}." if because else "",
             f"**What the patient was told:** “{warning.text}”",
             f"*Source: {source_of(warning)}: {source.basis or source.quote}*",
             references(warning),
             *footer],
            _source(self.safety if source.is_safety else self.article, links),
            links,
        )

    def _referral(self, answer: Answer, flagged: list[Warning], page: Page, patient_id: str,
                  footer: list[str], critical: bool) -> JSONObject:
        referral, urgency = answer.referral, answer.urgency
        emergency = answer.call_emergency_services
        names = ", ".join(in_sentence(s.label) for s in referral.specialists)
        causes = [f"{group.label}{' (dangerous)' if group.dangerous else ''}, from "
                  f"{code_list(group.evidence)}" for group in answer.cause_groups]
        told = self.kb.meta["summary"]["call_emergency_services" if emergency else urgency]
        parts = [
            f"**Urgency: {'emergency' if emergency else urgency.replace('_', ' ')}.** "
            f"The patient was told: “{told}”",
            section("Specialists", [f"{s.label}: {s.reason}"
                                    for s in referral.specialists]),
            section("Tests", [test.label for test in referral.tests]),
            section("Possible causes", causes),
            section("Findings", [f"{self._finding(w)} (patient told: “{w.text}”)"
                                 for w in flagged]),
            section("The patient was asked to tell the doctor", list(referral.tell_the_doctor)),
            _questions(answer),
            *footer,
        ]
        indicator = "critical" if critical and urgency == "urgent" else "warning"
        lead = AFTER_THE_EMERGENCY if emergency else REFERRAL_LEAD[urgency]
        if names and not emergency:
            lead += "; consider referral to"
        summary = f"{lead}: {names}" if names else lead.partition(";")[0]
        first = (referral.specialists or referral.tests)[0]
        kind = "specialists" if referral.specialists else "tests"
        links = page.links(kind, first.id, "The referral rules in the knowledge base")
        card = self._card(summary, indicator, parts, _source(self.article, links), links)
        suggestions = suggested_requests(answer, patient_id)
        if suggestions:
            card["suggestions"] = suggestions
            card["selectionBehavior"] = "any"
        return card

    def _finding(self, warning: Warning) -> str:
        """A warning's finding in a clinician's words; every red flag has one (the loader
        refuses a warning that raises the urgency without one), a caution may not."""
        finding: str = self.kb.item("warnings", warning.id).attrs.get("finding", warning.text)
        return finding

    def _self_care(self, answer: Answer, cautions: list[Warning], page: Page, footer: list[str],
                   with_questions: bool) -> JSONObject | None:
        steps = answer.emergency_steps
        phases = [section(heading, [cite(s) for s in steps if s.phase == phase])
                  for phase, heading in PHASE_HEADINGS.items()]
        medicines = [cite(m) + (" *(prescription only)*" if m.prescription_only else "")
                     for m in answer.medication_info]
        advice = [*phases,
                  section("Prevention", [cite(rule) for rule in answer.lifestyle_rules]),
                  section("Medicines", medicines),
                  section("Cautions", [cite(w) for w in cautions])]
        if not any(advice):
            return None
        parts = ["The patient has been given this self-care advice, in these words:", *advice]
        if with_questions:
            parts.append(_questions(answer))
        parts += footer
        counts = [f"{len(steps)} first-aid steps" if steps else "",
                  f"{len(answer.lifestyle_rules)} prevention rules"
                  if answer.lifestyle_rules else ""]
        counted = " and ".join(count for count in counts if count)
        summary = "Self-care advice given to the patient" + (f": {counted}" if counted else "")
        first = next((kind, items[0].id) for kind, items in (
            ("emergency_steps", steps), ("lifestyle_rules", answer.lifestyle_rules),
            ("medication_info", answer.medication_info), ("warnings", cautions)) if items)
        links = page.links(*first, "The self-care advice in the knowledge base")
        return self._card(summary, "info", parts, _source(self.article, links), links)


def _source(label: str, links: list[JSONObject]) -> JSONObject:
    """A card's source: its label, and the first link's URL when it has one."""
    return {"label": label, "url": links[0]["url"]} if links else {"label": label}


def _questions(answer: Answer) -> str:
    return section("Questions for the patient: not reported yet, could change the advice",
                   [question.question for question in answer.follow_up_questions])
