// Small DOM helpers. Text from the service always goes in as text nodes, never as HTML.
"use strict";

// el("p", {class: "note"}, "text", child): an element with attributes and children.
// A child that is null, undefined or false is left out, so callers can write `cond && child`.
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, "");
    else if (value !== false && value != null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// A list of items, each made by render(item); an ordered list if ordered is true.
export function list(items, render, {ordered = false, className = "items"} = {}) {
  const entries = items.map((item) => el("li", {}, render(item)));
  return el(ordered ? "ol" : "ul", {class: className}, entries);
}

// Moves the focus to a region the page just filled, and shows its top: focus() alone would
// centre a region taller than the window, hiding its first lines (the urgency, say).
export function focusRegion(element) {
  element.focus({preventScroll: true});
  element.scrollIntoView({block: "start"});
}

// The id of the element that holds a request field's control(s).
export function fieldId(field) {
  return `field-${field}`;
}
