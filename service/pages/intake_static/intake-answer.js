// Shows an answer of POST /v1/advice the way a person reads it: a call for an ambulance first
// when the service says so (call_emergency_services), else how urgent; then the warnings, what
// to do now (by phase, in order), possible causes, everyday rules, which doctor, medicines,
// what else to tell us, and the disclaimer. Every item can show its source.
"use strict";

import {el, fieldId, list} from "./intake-dom.js";

const URGENCY = {
  urgent: {title: "Urgent: seek medical care today", role: "alert"},
  soon: {title: "See a doctor soon, within a day or two", role: "status"},
  routine: {title: "Book a visit to a doctor", role: "status"},
  self_care: {title: "Self-care: you can look after this yourself for now", role: "status"},
};
const PHASES = {
  during_cramp: "During a cramp",
  at_onset: "When you feel a cramp coming",
  night: "At night",
};
// The page's own words, so that the call never depends on how the summary is worded; the
// service's summary starts with the same sentence (contract 1.1), which is then not repeated.
const EMERGENCY_TITLE = "Emergency: call an ambulance now";
const CALL_NOW = "Call your local emergency number now (999 in the UK, 112 in Europe, "
  + "911 in North America) and ask for an ambulance.";
const PRESCRIPTION_ONLY = "Prescription only: a doctor may prescribe";
const DANGEROUS = "Dangerous: needs a doctor";

function isHttps(url) {
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}

// A published page of guidance, as a link that opens in a new tab (the answer stays open), and
// its publisher; only an https URL becomes a link (the contract allows no other), else text.
function reference(ref) {
  const title = isHttps(ref.url)
    ? el("a", {href: ref.url, target: "_blank", rel: "noopener noreferrer"}, ref.title,
      el("span", {class: "visually-hidden"}, " (opens in a new tab)"))
    : ref.title;
  return [title, el("span", {class: "publisher"}, ref.publisher)];
}

// Where an item comes from, shown on demand: the article's words, or the safety layer's basis
// and the published guidance it follows.
function source(item) {
  const {section, quote, basis, references = []} = item.source;
  const body = section === "safety"
    ? [el("p", {}, el("strong", {}, "Safety guidance, not from the article.")),
      el("p", {}, `Basis: ${basis}`),
      references.length > 0 && [el("p", {}, "Published guidance it follows:"),
        list(references, reference, {className: "references"})]]
    : [el("blockquote", {}, quote), el("p", {}, `From the article, section “${section}”.`)];
  return el("details", {class: "source"}, el("summary", {}, "Source"), body);
}

// An item's text, what to add to it (a badge), and its source.
function sourced(item, addition = null) {
  return [el("span", {class: "item-text"}, item.text), addition, source(item)];
}

function badge(kind, text) {
  return [" ", el("strong", {class: `badge badge--${kind}`}, text)];
}

function section(id, title, ...content) {
  const headingId = `answer-${id}`;
  return el("section", {class: `answer-part answer-part--${id}`, "aria-labelledby": headingId},
    el("h3", {id: headingId}, title), content);
}

function urgencyBanner(answer) {
  const urgency = URGENCY[answer.urgency];
  return el("div", {class: `urgency urgency--${answer.urgency}`, role: urgency.role},
    el("p", {class: "urgency-title"}, urgency.title),
    el("p", {class: "urgency-summary"}, answer.summary));
}

// The call for an ambulance, and why: the first warning says why (contract 1.1).
function emergencyBanner(answer) {
  const reason = answer.warnings[0];
  return el("div", {class: "urgency urgency--emergency", role: "alert"},
    el("p", {class: "urgency-title"}, EMERGENCY_TITLE),
    el("p", {class: "emergency-call"}, CALL_NOW),
    reason && el("p", {class: "emergency-reason"}, el("strong", {}, "Why: "), reason.text));
}

// What the summary says besides the call, which the alert already makes, if anything.
function emergencySummary(answer) {
  const rest = answer.summary.startsWith(CALL_NOW)
    ? answer.summary.slice(CALL_NOW.length).trim() : answer.summary;
  return rest && el("p", {class: "answer-summary"}, rest);
}

// Consecutive steps of one phase form a group; the service's order is kept.
function phaseGroups(steps) {
  const groups = [];
  for (const step of steps) {
    if (groups.at(-1)?.phase !== step.phase) groups.push({phase: step.phase, steps: []});
    groups.at(-1).steps.push(step);
  }
  return groups;
}

function steps(answer) {
  return phaseGroups(answer.emergency_steps).map((group) => el("div", {class: "phase"},
    el("h4", {}, PHASES[group.phase] || group.phase),
    list(group.steps, (step) => sourced(step), {ordered: true})));
}

function cause(group, labelOf) {
  const evidence = group.evidence.map(labelOf).join(", ");
  return [
    el("span", {class: "item-text"}, group.label),
    group.dangerous && badge("danger", DANGEROUS),
    evidence && [" ", el("span", {class: "evidence"}, `Because you reported: ${evidence}.`)],
    source(group),
  ];
}

function doctor(specialist) {
  return [el("strong", {}, specialist.label), " ",
    el("span", {class: "reason"}, specialist.reason)];
}

function referral(ref) {
  if (!ref.needed) return el("p", {}, "From what you reported, no doctor visit is needed for now.");
  const part = (title, items, render) =>
    items.length > 0 && [el("h4", {}, title), list(items, render)];
  return [
    part("Doctors who can help", ref.specialists, doctor),
    part("Tests", ref.tests, (test) => test.label),
    part("What to tell the doctor", ref.tell_the_doctor, (text) => text),
  ];
}

function medicine(item) {
  return sourced(item, item.prescription_only && badge("prescription", PRESCRIPTION_ONLY));
}

function followUp(question) {
  return el("a", {href: `#${fieldId(question.field)}`}, question.question);
}

function traceStep(step) {
  return `${step.rule}: because ${step.because.join(", ")} → ${step.derived.join(", ")}`;
}

function trace(answer) {
  return el("details", {class: "trace"},
    el("summary", {}, "How the advice was reached (for clinicians)"),
    list(answer.trace, traceStep, {ordered: true}));
}

// The parts of the answer, in reading order; empty parts are left out. A call for an ambulance
// comes before everything, the heading included, and takes the place of the urgency banner.
export function renderAnswer(answer, labelOf) {
  const emergency = answer.call_emergency_services === true;
  const some = (items) => items.length > 0;
  const sourcedList = (items, render = (item) => sourced(item), className = "items") =>
    list(items, render, {className});
  return [
    emergency && emergencyBanner(answer),
    el("h2", {id: "answer-heading"}, "Your advice"),
    emergency ? emergencySummary(answer) : urgencyBanner(answer),
    some(answer.warnings) && section("warnings", "Warnings",
      sourcedList(answer.warnings, undefined, "items items--warnings")),
    some(answer.emergency_steps) && section("steps", "What to do", steps(answer)),
    some(answer.cause_groups) && section("causes", "Possible causes",
      sourcedList(answer.cause_groups, (group) => cause(group, labelOf))),
    some(answer.lifestyle_rules) && section("lifestyle", "Everyday rules",
      sourcedList(answer.lifestyle_rules)),
    // In an emergency, "no doctor visit is needed" would contradict the call: left out.
    (answer.referral.needed || !emergency) && section("referral", "Seeing a doctor",
      referral(answer.referral)),
    some(answer.medication_info) && section("medication", "Medicines",
      sourcedList(answer.medication_info, medicine)),
    some(answer.follow_up_questions) && section("follow-up",
      "Questions that could change this advice",
      el("p", {}, "Answer these in the form below and ask again:"),
      list(answer.follow_up_questions, followUp)),
    el("p", {class: "disclaimer disclaimer--answer"},
      el("strong", {}, "Not a diagnosis. "), answer.disclaimer),
    some(answer.trace) && trace(answer),
  ];
}
