// "Describe it in your own words": the person's text goes to POST /v1/intake/parse, and the
// draft it answers fills in the form for the person to check. This never asks for advice: only
// the person's own press of "Get advice" does (intake.js). It shows which words set each answer
// (marked in the text, and quoted beside the field), what the text said is not there, and what
// could not be placed. Everything from the text goes into the page as text nodes, never as HTML.
"use strict";

import {el, fieldId, list} from "./intake-dom.js";

const PARSE_URL = "v1/intake/parse";

const byId = (id) => document.getElementById(id);

// Spans index the text's characters (code points), as Array.from reads a string.
function slice(chars, [start, end]) {
  return chars.slice(start, end).join("");
}

// The text with the words behind every finding marked: a present finding's words as <mark>, a
// denied one's as <mark class="denied">; overlapping spans are merged into one mark.
function markedText(text, findings) {
  const chars = Array.from(text);
  const spans = findings
    .filter((finding) => finding.assertion === "present" || finding.assertion === "absent")
    .map((finding) => ({start: finding.span[0], end: finding.span[1],
                        denied: finding.assertion === "absent"}))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      last.denied = last.denied && span.denied;
    } else {
      merged.push({...span});
    }
  }
  const parts = [];
  let at = 0;
  for (const span of merged) {
    if (span.start > at) parts.push(slice(chars, [at, span.start]));
    parts.push(el("mark", {class: span.denied ? "denied" : "found"},
      slice(chars, [span.start, span.end])));
    at = span.end;
  }
  if (at < chars.length) parts.push(slice(chars, [at, chars.length]));
  return el("p", {class: "own-words-text", id: "own-words-marked"}, parts);
}

function valueLabel(finding, labelOf) {
  if (typeof finding.value === "boolean") {
    return `${labelOf(finding.field)}: ${finding.value ? "yes" : "no"}`;
  }
  if (typeof finding.value === "number") return `${labelOf(finding.field)}: ${finding.value}`;
  return labelOf(`${finding.field}.${finding.value}`);
}

// Sets the controls of one field to the draft's value. Returns whether the field was found.
function setField(form, field, value) {
  const controls = [...form.querySelectorAll(`[name="${field}"]`)];
  if (!controls.length) return false;
  if (Array.isArray(value)) {
    for (const control of controls) if (value.includes(control.value)) control.checked = true;
  } else if (controls[0].type === "radio") {
    const wanted = String(value);
    for (const control of controls) control.checked = control.value === wanted;
  } else {
    controls[0].value = String(value);
  }
  return true;
}

// A value the text denies is not left ticked (it may have been ticked before the text was read).
function untickDenied(form, absent) {
  for (const {field, value} of absent) {
    for (const control of form.querySelectorAll(`input[type=checkbox][name="${field}"]`)) {
      if (control.value === value) control.checked = false;
    }
  }
}

// Beside each field the draft set: the words that set it.
function noteSources(form, findings, profile) {
  for (const note of form.querySelectorAll(".from-words")) note.remove();
  const chars = new Map();
  for (const finding of findings) {
    if (finding.assertion !== "present" || !(finding.field in profile)) continue;
    const words = chars.get(finding.field) || [];
    if (!words.includes(finding.text)) words.push(finding.text);
    chars.set(finding.field, words);
  }
  for (const [field, words] of chars) {
    const container = form.querySelector(`#${fieldId(field)}`);
    if (!container) continue;
    container.append(el("p", {class: "from-words"}, "From your words: ",
      words.map((each, index) => [index ? ", " : "", el("mark", {class: "found"}, `“${each}”`)])));
  }
}

function renderDraft(text, draft, labelOf) {
  const present = draft.findings.filter((finding) => finding.assertion === "present");
  const other = draft.findings.filter((finding) =>
    !["present", "absent"].includes(finding.assertion));
  const parts = [
    el("h3", {}, "What we read in your words"),
    el("p", {class: "hint"}, "Check the questions below: change anything that is not right, ",
      "then press “Get advice”. Nothing has been sent for advice yet."),
    markedText(text, draft.findings),
  ];
  if (present.length) {
    parts.push(el("h4", {}, "Filled in from your words"),
      list(present, (finding) => [el("q", {}, finding.text), " → ", valueLabel(finding, labelOf)],
        {className: "items own-words-found"}));
  } else {
    parts.push(el("p", {}, "We could not fill in any question from your words."));
  }
  if (draft.reported_absent.length) {
    parts.push(el("h4", {}, "You said you do not have"),
      list(draft.reported_absent, (absent) => valueLabel(absent, labelOf),
        {className: "items own-words-absent"}));
  }
  if (other.length) {
    parts.push(el("h4", {}, "Not filled in: about someone else, only possible, or in the past"),
      list(other, (finding) => [el("q", {}, finding.text), " → ", valueLabel(finding, labelOf)],
        {className: "items own-words-other"}));
  }
  if (draft.unmapped.length) {
    parts.push(el("h4", {}, "Words we could not place"),
      el("p", {class: "hint"}, "If they matter, answer the questions below or tell a doctor."),
      list(draft.unmapped, (item) => el("q", {}, item.text),
        {className: "items own-words-unmapped"}));
  }
  return parts;
}

async function parse(text) {
  const response = await fetch(PARSE_URL, {
    method: "POST",
    headers: {"Content-Type": "application/json", Accept: "application/json"},
    body: JSON.stringify({text}),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body.errors?.text?.[0] || body.detail
      || `The service answered ${response.status}.`;
    throw new Error(message);
  }
  return body;
}

// Wires the box: reading a text fills the form (``afterFill`` re-applies its rules).
export function setUpOwnWords(form, labelOf, afterFill) {
  const box = byId("own-words-text");
  const button = byId("own-words-fill");
  const status = byId("own-words-status");
  const result = byId("own-words-result");
  button.disabled = false;
  button.addEventListener("click", async () => {
    const text = box.value;
    if (!text.trim()) {
      status.textContent = "Write a few words first.";
      return;
    }
    button.disabled = true;
    status.textContent = "Reading your words…";
    try {
      const draft = await parse(text);
      for (const [field, value] of Object.entries(draft.profile)) setField(form, field, value);
      untickDenied(form, draft.reported_absent);
      afterFill();
      noteSources(form, draft.findings, draft.profile);
      result.replaceChildren(...renderDraft(text, draft, labelOf));
      result.hidden = false;
      const count = Object.keys(draft.profile).length;
      status.textContent = count
        ? `Filled in ${count} question${count === 1 ? "" : "s"} from your words. Please check them.`
        : "No question could be filled in from your words.";
    } catch (error) {
      status.textContent = `Your words could not be read: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}
