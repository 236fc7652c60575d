// Builds the intake form from the FHIR Questionnaire the service publishes, and reads the
// profile back out of it. Every field, text and allowed value comes from the service: nothing
// here names a field of the contract.
"use strict";

import {el, fieldId} from "./intake-dom.js";

const SKIP = "";  // the value of "Don't know / skip": the field is left out of the profile

function extension(item, name) {
  const found = (item.extension || []).find((each) => each.url.endsWith(`/${name}`));
  return found || {};
}

function limit(item, name) {
  const found = extension(item, name);
  return found.valueInteger ?? found.valueDecimal;
}

function optionsOf(item) {
  return item.answerOption.map((option) => option.valueCoding);
}

function legendOf(item) {
  const required = item.required && el("span", {class: "required"}, " (required)");
  return el("legend", {}, item.text, required);
}

function choiceControl(item, type, value, label) {
  const id = `${item.linkId}-${value === SKIP ? "skip" : value}`;
  return el("div", {class: "choice"},
    el("input", {type, id, name: item.linkId, value, checked: type === "radio" && value === SKIP}),
    el("label", {for: id}, label));
}

function choiceField(item) {
  const type = item.repeats ? "checkbox" : "radio";
  const choices = optionsOf(item)
    .map((coding) => choiceControl(item, type, coding.code, coding.display));
  if (!item.repeats) choices.push(choiceControl(item, "radio", SKIP, "Don't know / skip"));
  const layout = item.repeats && choices.length > 4 ? "choices choices--columns" : "choices";
  return el("fieldset", {id: fieldId(item.linkId), class: "field", "data-kind": type},
    legendOf(item), el("div", {class: layout}, choices));
}

function booleanField(item) {
  const choices = [["true", "Yes"], ["false", "No"], [SKIP, "Don't know / skip"]]
    .map(([value, label]) => choiceControl(item, "radio", value, label));
  return el("fieldset", {id: fieldId(item.linkId), class: "field", "data-kind": "boolean"},
    legendOf(item), el("div", {class: "choices choices--inline"}, choices));
}

function numberField(item) {
  const id = `${item.linkId}-input`;
  const integer = item.type === "integer";
  const unit = extension(item, "questionnaire-unit").valueCoding;
  const input = el("input", {
    type: "number", id, name: item.linkId, class: "number",
    inputmode: integer ? "numeric" : "decimal", step: integer ? 1 : "any",
    min: limit(item, "minValue"), max: limit(item, "maxValue"),
  });
  return el("div", {id: fieldId(item.linkId), class: "field", "data-kind": item.type},
    el("label", {for: id, class: "field-label"}, item.text),
    el("div", {class: "number-row"}, input, unit && el("span", {class: "unit"}, unit.display)));
}

const BUILDERS = {
  choice: choiceField, boolean: booleanField, integer: numberField, decimal: numberField,
};

// The form's fields, one per Questionnaire item, in the Questionnaire's order.
export function buildFields(questionnaire) {
  return questionnaire.item.filter((item) => BUILDERS[item.type])
    .map((item) => BUILDERS[item.type](item));
}

// The value a field holds as the profile would carry it, or undefined when not answered.
function valueOf(item, form) {
  const controls = [...form.querySelectorAll(`[name="${item.linkId}"]`)].filter((c) => !c.disabled);
  if (item.type === "choice" && item.repeats) {
    const values = controls.filter((c) => c.checked).map((c) => c.value);
    return values.length ? values : undefined;
  }
  if (item.type === "choice" || item.type === "boolean") {
    const checked = controls.find((c) => c.checked);
    if (!checked || checked.value === SKIP) return undefined;
    return item.type === "boolean" ? checked.value === "true" : checked.value;
  }
  const input = controls[0];
  return !input || input.value.trim() === "" ? undefined : Number(input.value);
}

// The profile the form describes: answered, enabled fields only ("not reported" is absent).
export function readProfile(questionnaire, form) {
  const profile = {};
  for (const item of questionnaire.item.filter((each) => BUILDERS[each.type])) {
    const value = valueOf(item, form);
    if (value !== undefined) profile[item.linkId] = value;
  }
  return profile;
}

// Number fields whose text is not a number at all: the browser hides such text from scripts,
// so the service never sees it; the page says so itself, like a field error of the service.
export function unreadableNumbers(form) {
  const errors = {};
  for (const input of form.querySelectorAll("input[type=number]")) {
    if (!input.disabled && input.validity.badInput) errors[input.name] = ["Enter a number."];
  }
  return errors;
}

function answerOf(condition) {
  const key = Object.keys(condition).find((name) => name.startsWith("answer"));
  return key === "answerCoding" ? condition[key].code : condition[key];
}

function conditionHolds(questionnaire, form, condition) {
  const question = questionnaire.item.find((item) => item.linkId === condition.question);
  const value = question && valueOf(question, form);
  if (condition.operator === "exists") return (value !== undefined) === answerOf(condition);
  const values = Array.isArray(value) ? value : [value];
  const matches = values.includes(answerOf(condition));
  return condition.operator === "!=" ? !matches : matches;
}

// Shows the items whose enableWhen holds and hides (and disables) the others, so a hidden
// field, such as the trimester when "pregnant" is not "Yes", is never sent.
export function applyEnableWhen(questionnaire, form) {
  for (const item of questionnaire.item.filter((each) => each.enableWhen)) {
    const results = item.enableWhen
      .map((condition) => conditionHolds(questionnaire, form, condition));
    const enabled = item.enableBehavior === "any" ? results.some(Boolean) : results.every(Boolean);
    const field = form.querySelector(`#${fieldId(item.linkId)}`);
    field.hidden = !enabled;
    field.querySelectorAll("input").forEach((control) => { control.disabled = !enabled; });
  }
}
