// The choices the intake page's own form builder (service/pages/intake_static/intake-form.js)
// makes of a Questionnaire, run by Node.js without a browser. Arguments: a folder holding the
// page's intake-form.js and intake-dom.js as ES modules. Reads the Questionnaire as JSON on stdin;
// writes {linkId: [[value, label], ...]}: every input the form offers for each item, with the
// text of its label. The builder needs only document.createElement, createTextNode and Node,
// which the few lines below stand in for; tests/browser runs the same page in Chromium.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";

class Node {}
class Text extends Node {
  constructor(text) { super(); this.text = text; }
}
class Element extends Node {
  constructor(tag) { super(); this.tag = tag; this.attributes = {}; this.children = []; }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  append(...children) { this.children.push(...children); }
}
globalThis.Node = Node;
globalThis.document = {
  createElement: (tag) => new Element(tag),
  createTextNode: (text) => new Text(String(text)),
};

function* walk(node) {
  yield node;
  for (const child of node.children || []) yield* walk(child);
}

const textOf = (node) => [...walk(node)].filter((each) => each instanceof Text)
  .map((each) => each.text).join("");

const {buildFields} = await import(pathToFileURL(join(process.argv[2], "intake-form.js")).href);
const questionnaire = JSON.parse(readFileSync(0, "utf8"));
const choices = {};
for (const field of buildFields(questionnaire)) {
  const nodes = [...walk(field)];
  const labels = Object.fromEntries(nodes.filter((node) => node.tag === "label")
    .map((label) => [label.attributes.for, textOf(label)]));
  for (const input of nodes.filter((node) => node.tag === "input")) {
    (choices[input.attributes.name] ||= []).push([input.attributes.value, labels[input.attributes.id]]);
  }
}
process.stdout.write(JSON.stringify(choices));
