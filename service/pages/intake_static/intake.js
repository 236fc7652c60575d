// The intake page: builds the form from the service's Questionnaire, sends the profile to
// POST /v1/advice and shows the answer, or the service's field errors next to the fields. A
// person may first describe their cramps in their own words, which fill in the form for them
// to check (intake-words.js); advice is asked for only when they press "Get advice".
// URLs are relative to the page, so the page works behind a proxy that adds a path prefix.
"use strict";

import {renderAnswer} from "./intake-answer.js";
import {focusRegion} from "./intake-dom.js";
import {clearErrors, showFieldErrors, showProblem} from "./intake-errors.js";
import {applyEnableWhen, buildFields, readProfile, unreadableNumbers} from "./intake-form.js";
import {setUpOwnWords} from "./intake-words.js";

const QUESTIONNAIRE_URL = "v1/fhir/Questionnaire/leg-cramps-intake";
const ADVICE_URL = "v1/advice";

const byId = (id) => document.getElementById(id);

function humanize(name) {
  const words = name.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Names a request field ("pregnancy_trimester") or a piece of evidence ("conditions.diabetes",
// "smoker") the way the form shows it.
function labeller(questionnaire) {
  const items = new Map(questionnaire.item.map((item) => [item.linkId, item]));
  return (name) => {
    const [field, value] = name.split(/\.(.*)/s);
    const options = items.get(field)?.answerOption || [];
    const option = options.find((each) => each.valueCoding.code === value);
    if (option) return option.valueCoding.display;
    return value === "false" ? `${humanize(field)}: no` : humanize(value || field);
  };
}

// The text of an error: a problem document's detail, or (from /v1/fhir/) an OperationOutcome's
// first diagnostics.
async function problemText(response) {
  try {
    const problem = await response.json();
    const diagnostics = problem.issue?.[0]?.diagnostics;
    return {errors: problem.errors, text: problem.detail || problem.title || diagnostics};
  } catch {
    return {text: `The service answered ${response.status} ${response.statusText}.`};
  }
}

function showAnswer(answer, labelOf) {
  const section = byId("answer");
  section.replaceChildren(...renderAnswer(answer, labelOf).filter(Boolean));
  byId("disclaimer-text").textContent = answer.disclaimer;
  section.hidden = false;
  focusRegion(section);
}

function setBusy(busy) {
  byId("submit").disabled = busy;
  byId("intake-form").setAttribute("aria-busy", String(busy));
  byId("form-status").textContent = busy ? "Asking the service…" : "";
}

async function submit(questionnaire, form) {
  const labelOf = labeller(questionnaire);
  const localErrors = unreadableNumbers(form);
  if (Object.keys(localErrors).length) return showFieldErrors(form, localErrors, labelOf);
  clearErrors(form);
  setBusy(true);
  try {
    const response = await fetch(ADVICE_URL, {
      method: "POST",
      headers: {"Content-Type": "application/json", Accept: "application/json"},
      body: JSON.stringify(readProfile(questionnaire, form)),
    });
    if (response.ok) return showAnswer(await response.json(), labelOf);
    const problem = await problemText(response);
    if (response.status === 400 && problem.errors) {
      return showFieldErrors(form, problem.errors, labelOf);
    }
    showProblem(form, problem.text);
  } catch {
    showProblem(form, "The service could not be reached. Check your connection and try again.");
  } finally {
    setBusy(false);
  }
}

async function loadQuestionnaire() {
  const response = await fetch(QUESTIONNAIRE_URL, {headers: {Accept: "application/fhir+json"}});
  if (!response.ok) throw new Error((await problemText(response)).text);
  return response.json();
}

async function start() {
  const form = byId("intake-form");
  let questionnaire;
  try {
    questionnaire = await loadQuestionnaire();
  } catch (error) {
    byId("loading").textContent =
      `The questions could not be loaded (${error.message}). Reload the page to try again.`;
    byId("loading").classList.add("problem");
    return;
  }
  byId("questions").replaceChildren(...buildFields(questionnaire));
  applyEnableWhen(questionnaire, form);
  form.addEventListener("change", () => applyEnableWhen(questionnaire, form));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(questionnaire, form);
  });
  setUpOwnWords(form, labeller(questionnaire), () => applyEnableWhen(questionnaire, form));
  byId("submit").disabled = false;
}

start();
