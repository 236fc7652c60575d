// Shows what the service refused: each field's messages next to that field (linked to its
// controls with aria-describedby, which are marked aria-invalid), and a summary at the top of
// the form that links to each field. Problems that are not about a field go in the summary.
"use strict";

import {el, fieldId, focusRegion} from "./intake-dom.js";

const summary = () => document.getElementById("error-summary");

function errorId(field) {
  return `error-${field}`;
}

function controlsOf(container) {
  return [...container.querySelectorAll("input, select, textarea")];
}

function describedBy(control, id, add) {
  const ids = (control.getAttribute("aria-describedby") || "").split(" ")
    .filter((each) => each && each !== id);
  if (add) ids.push(id);
  if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
  else control.removeAttribute("aria-describedby");
}

function markField(container, field, messages) {
  const id = errorId(field);
  const message = el("p", {id, class: "field-error"}, messages.join(" "));
  container.classList.add("field--invalid");
  const legendOrLabel = container.querySelector("legend, .field-label");
  legendOrLabel.after(message);
  for (const control of controlsOf(container)) {
    control.setAttribute("aria-invalid", "true");
    describedBy(control, id, true);
  }
}

// Removes every error the page shows.
export function clearErrors(form) {
  for (const message of form.querySelectorAll(".field-error")) message.remove();
  for (const container of form.querySelectorAll(".field--invalid")) {
    container.classList.remove("field--invalid");
    for (const control of controlsOf(container)) {
      control.removeAttribute("aria-invalid");
      describedBy(control, errorId(container.id.replace(/^field-/, "")), false);
    }
  }
  summary().hidden = true;
  summary().replaceChildren();
}

function summaryItem(form, field, messages, labelOf) {
  const text = messages.join(" ");
  if (!form.querySelector(`#${CSS.escape(fieldId(field))}`)) {
    return field === "_schema" ? text : `${field}: ${text}`;
  }
  return el("a", {href: `#${fieldId(field)}`}, `${labelOf(field)}: ${text}`);
}

// Shows a problem document's field errors ({field: [message, ...]}) and focuses the summary.
export function showFieldErrors(form, errors, labelOf) {
  clearErrors(form);
  const items = [];
  for (const [field, messages] of Object.entries(errors)) {
    const container = form.querySelector(`#${CSS.escape(fieldId(field))}`);
    if (container && !container.hidden) markField(container, field, messages);
    items.push(summaryItem(form, field, messages, labelOf));
  }
  summary().replaceChildren(
    el("h3", {}, "Please check these answers"),
    el("ul", {}, items.map((item) => el("li", {}, item))));
  summary().hidden = false;
  focusRegion(summary());
}

// Shows a problem that is not about one field (a server error, no connection).
export function showProblem(form, text) {
  clearErrors(form);
  summary().replaceChildren(el("h3", {}, "The advice could not be fetched"), el("p", {}, text));
  summary().hidden = false;
  focusRegion(summary());
}
