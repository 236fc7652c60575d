#!/usr/bin/env python3
"""Score parser output against the gold set (precision / recall / F1 of findings).

usage: python3 score.py GOLD.yaml PREDICTIONS.json [--ignore-spans] [--boolean-absent-any]

PREDICTIONS.json maps each gold id to the parser's response body for that text, e.g.
  {"g001": {"findings": [{"field": "locations", "value": "calf", "assertion": "present",
                          "span": [8, 12], "text": "calf"}, ...], "unmapped": [...]}, ...}
(a bare list of findings is accepted too). Missing ids count as empty responses.

A predicted finding matches a gold finding when field, value and assertion are equal and
(unless --ignore-spans) its span overlaps an occurrence of the gold evidence in the text.
Each gold finding is matched at most once. --boolean-absent-any accepts value true or false
for a boolean finding asserted absent (the gold writes false; see README).
"""
import collections
import json
import sys

import yaml


def occurrences(text, ev):
    i = text.find(ev)
    while i >= 0:
        yield (i, i + len(ev))
        i = text.find(ev, i + 1)


def same_value(g, p, field, assertion, bool_any):
    if isinstance(g, bool) or isinstance(p, bool):
        if bool_any and assertion == "absent" and isinstance(p, bool):
            return True
        return g is p
    if isinstance(g, (int, float)) and isinstance(p, (int, float)):
        return abs(g - p) < 1e-6
    return g == p


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    ignore_spans = "--ignore-spans" in argv
    bool_any = "--boolean-absent-any" in argv
    if len(args) != 2:
        print(__doc__); return 2
    gold = yaml.safe_load(open(args[0], encoding="utf-8"))
    preds = json.load(open(args[1], encoding="utf-8"))
    tp = collections.Counter(); fp = collections.Counter(); fn = collections.Counter()
    for e in gold:
        text = e["text"]
        resp = preds.get(e["id"], {})
        pf = resp if isinstance(resp, list) else resp.get("findings", [])
        unmatched = list(e["findings"])
        for p in pf:
            hit = None
            for g in unmatched:
                if g["field"] != p.get("field") or g["assertion"] != p.get("assertion"):
                    continue
                if not same_value(g["value"], p.get("value"), g["field"], g["assertion"], bool_any):
                    continue
                if not ignore_spans:
                    s = p.get("span") or [-1, -1]
                    if not any(s[0] < b and a < s[1] for a, b in occurrences(text, g["evidence"])):
                        continue
                hit = g
                break
            key = (p.get("field"), p.get("assertion"))
            if hit is not None:
                unmatched.remove(hit); tp[key] += 1
            else:
                fp[key] += 1
        for g in unmatched:
            fn[(g["field"], g["assertion"])] += 1

    def prf(t, f_p, f_n):
        p = t / (t + f_p) if t + f_p else 1.0
        r = t / (t + f_n) if t + f_n else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def line(name, keys):
        t = sum(tp[k] for k in keys); a = sum(fp[k] for k in keys); b = sum(fn[k] for k in keys)
        p, r, f = prf(t, a, b)
        print(f"{name:24} P {p:6.3f}  R {r:6.3f}  F1 {f:6.3f}   (tp {t}, fp {a}, fn {b})")

    allkeys = set(tp) | set(fp) | set(fn)
    line("all findings", allkeys)
    print("-- per assertion")
    for a in ["present", "absent", "other_person", "hypothetical", "historical"]:
        line(a, {k for k in allkeys if k[1] == a})
    print("-- per field")
    for fld in sorted({k[0] for k in allkeys if k[0]}):
        line(fld, {k for k in allkeys if k[0] == fld})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
