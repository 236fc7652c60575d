#!/usr/bin/env python3
"""Check the free-text gold set against the contract vocabulary (api-contract.md 1.0-1.2).

usage: python3 check.py [gold.yaml held_out.yaml ...]   (defaults to both files beside this script)
Exit status 1 if any error is found. Prints counts per field, value and assertion, and coverage.
"""
import collections
import os
import sys

import yaml

ENUMS = {
    "locations": ["calf", "foot", "toes", "thigh"],
    "time_of_day": ["night", "day", "both"],
    "frequency": ["first_time", "rare", "monthly", "weekly", "daily"],
    "warning_signs": ["tension", "numbness", "pulling_pain"],
    "triggers": ["prolonged_muscle_tension", "static_position", "cold_exposure",
                 "sudden_load_increase", "poor_fitness", "seasonal_deficiency",
                 "hot_stuffy_bedroom", "overload_day_before", "toe_overload", "high_heels",
                 "hot_weather", "toxic_exposure"],
    "conditions": ["dehydration", "liver_cirrhosis", "varicose_veins", "chronic_renal_failure",
                   "infection", "raynaud", "cerebrovascular_disorder", "epilepsy",
                   "osteochondrosis", "knee_injury", "bone_fracture", "spastic_paralysis",
                   "heavy_bleeding", "endocrine_disorder", "obliterating_endarteritis",
                   "diabetes", "flat_feet", "carbohydrate_metabolism_disorder",
                   "contaminated_wound"],
    "treatments": ["diuretics", "hemodialysis", "plasma_transfusion", "rehydration_therapy",
                   "statins", "new_medicine", "ace_inhibitors_or_arbs"],
    "symptoms": ["swelling", "redness", "warmth", "numbness", "weakness", "severe_fatigue",
                 "dark_urine", "pain_when_walking", "pale_cold_leg", "muscle_wasting",
                 "twitching", "fever", "chest_pain", "breathlessness",
                 "limp_or_cannot_bear_weight", "jaw_or_neck_stiffness",
                 "swollen_face_or_hands", "headache_or_vision_changes"],
    "sex": ["female", "male", "other", "unknown"],
    "side": ["one_leg", "both_legs"],
    "risk_factors": ["recent_surgery", "immobilised", "hormonal_contraception_or_hrt", "cancer",
                     "previous_clot", "recent_childbirth"],
}
BOOLEANS = ["active_now", "smoker", "pregnant"]
NUMBERS = {"duration_minutes": (0, 240), "age": (0, 120), "pregnancy_trimester": (1, 3)}
FIELDS = list(ENUMS) + BOOLEANS + list(NUMBERS)
ASSERTIONS = ["present", "absent", "other_person", "hypothetical", "historical"]
ENTRY_KEYS = {"id", "text", "findings", "unmapped", "note"}
FINDING_KEYS = {"field", "value", "assertion", "evidence"}
SINGLE_VALUED = ["time_of_day", "frequency", "duration_minutes", "active_now", "smoker",
                 "pregnant", "pregnancy_trimester", "age", "sex", "side"]


def check_file(path, seen_ids, seen_texts):
    errors, warnings = [], []
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, list):
        return None, [f"{path}: top level must be a list"], []
    for n, e in enumerate(data):
        where = f"{os.path.basename(path)}[{n}] {e.get('id') if isinstance(e, dict) else '?'}"
        if not isinstance(e, dict):
            errors.append(f"{where}: entry is not a mapping"); continue
        extra = set(e) - ENTRY_KEYS
        if extra:
            errors.append(f"{where}: unknown keys {sorted(extra)}")
        for k in ("id", "text", "findings", "unmapped"):
            if k not in e:
                errors.append(f"{where}: missing {k}")
        eid, text = e.get("id"), e.get("text")
        if eid in seen_ids:
            errors.append(f"{where}: duplicate id {eid} (also in {seen_ids[eid]})")
        seen_ids[eid] = path
        if not isinstance(text, str) or not text:
            errors.append(f"{where}: text must be a non-empty string"); continue
        if len(text) > 1000:
            errors.append(f"{where}: text longer than 1000 characters (contract limit)")
        key = text.strip().lower()
        if key in seen_texts:
            errors.append(f"{where}: same text as {seen_texts[key]}")
        seen_texts[key] = eid
        present = collections.defaultdict(list)
        keys = set()
        for f in e.get("findings") or []:
            fw = f"{where} {f}"
            if not isinstance(f, dict) or set(f) != FINDING_KEYS:
                errors.append(f"{fw}: a finding needs exactly {sorted(FINDING_KEYS)}"); continue
            field, value, a, ev = f["field"], f["value"], f["assertion"], f["evidence"]
            if field not in FIELDS:
                errors.append(f"{fw}: unknown field"); continue
            if a not in ASSERTIONS:
                errors.append(f"{fw}: unknown assertion")
            if field in ENUMS and value not in ENUMS[field]:
                errors.append(f"{fw}: value not in the contract's vocabulary")
            if field in BOOLEANS:
                if not isinstance(value, bool):
                    errors.append(f"{fw}: boolean field needs true/false")
                elif a == "absent" and value is not False:
                    errors.append(f"{fw}: a boolean stated as absent is annotated value false")
                elif a != "absent" and value is not True:
                    errors.append(f"{fw}: value false is only used with assertion absent")
            if field in NUMBERS:
                lo, hi = NUMBERS[field]
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    errors.append(f"{fw}: number expected")
                elif not (lo <= value <= hi) or (field == "duration_minutes" and value <= 0):
                    errors.append(f"{fw}: out of the contract's range")
                elif field in ("age", "pregnancy_trimester") and not isinstance(value, int):
                    errors.append(f"{fw}: integer expected")
            if not isinstance(ev, str) or not ev or ev not in text:
                errors.append(f"{fw}: evidence is not a substring of the text")
            elif text.count(ev) > 1:
                warnings.append(f"{where}: evidence {ev!r} occurs {text.count(ev)} times")
            k = (field, repr(value), a)
            if k in keys:
                errors.append(f"{fw}: duplicate finding")
            keys.add(k)
            if a == "present":
                present[field].append(value)
        for field in SINGLE_VALUED:
            if len(present[field]) > 1:
                errors.append(f"{where}: {field} has several present values {present[field]}")
        if present["pregnancy_trimester"] and present["pregnant"] != [True]:
            errors.append(f"{where}: pregnancy_trimester present without pregnant true present")
        for u in e.get("unmapped") or []:
            if not isinstance(u, str) or u not in text:
                errors.append(f"{where}: unmapped {u!r} is not a substring of the text")
    return data, errors, warnings


def counts(data):
    per_field = collections.Counter()
    per_assert = collections.Counter()
    per_fa = collections.Counter()
    per_value = collections.Counter()
    per_value_present = collections.Counter()
    n_unmapped = 0
    empty = 0
    for e in data:
        fs = e.get("findings") or []
        if not fs:
            empty += 1
        n_unmapped += len(e.get("unmapped") or [])
        for f in fs:
            per_field[f["field"]] += 1
            per_assert[f["assertion"]] += 1
            per_fa[(f["field"], f["assertion"])] += 1
            v = f["value"]
            if f["field"] in NUMBERS:
                v = "<number>"
            per_value[(f["field"], str(v).lower() if isinstance(v, bool) else v)] += 1
            # what goes into the profile: present, or absent for a boolean stated false
            if f["assertion"] == "present" or (v is False and f["assertion"] == "absent"):
                per_value_present[(f["field"], str(v).lower() if isinstance(v, bool) else v)] += 1
    return dict(per_field=per_field, per_assert=per_assert, per_fa=per_fa, per_value=per_value,
                per_value_present=per_value_present, n_unmapped=n_unmapped, empty=empty)


def all_values():
    for field, vals in ENUMS.items():
        for v in vals:
            yield field, v
    for b in BOOLEANS:
        yield b, "true"
        yield b, "false"
    for t in (1, 2, 3):
        yield "pregnancy_trimester", t


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    paths = argv[1:] or [os.path.join(here, "gold.yaml"), os.path.join(here, "held_out.yaml")]
    seen_ids, seen_texts = {}, {}
    results, bad = {}, False
    for p in paths:
        data, errors, warnings = check_file(p, seen_ids, seen_texts)
        for w in warnings:
            print("warning:", w)
        for er in errors:
            print("ERROR:", er)
        bad = bad or bool(errors)
        if data is not None:
            results[os.path.basename(p)] = data
    names = list(results)
    cs = {n: counts(results[n]) for n in names}
    for n in names:
        c = cs[n]
        nf = sum(c["per_assert"].values())
        print(f"\n== {n}: {len(results[n])} texts, {nf} findings, {c['empty']} texts with no "
              f"finding, {c['n_unmapped']} unmapped phrases")
        print("per assertion:", ", ".join(f"{a} {c['per_assert'][a]}" for a in ASSERTIONS))
        print(f"{'field':22}" + "".join(f"{a[:12]:>13}" for a in ASSERTIONS) + f"{'total':>8}")
        for fld in FIELDS:
            row = [c["per_fa"][(fld, a)] for a in ASSERTIONS]
            print(f"{fld:22}" + "".join(f"{x:>13}" for x in row) + f"{sum(row):>8}")
    print("\n== coverage: value -> " + "  ".join(f"{n} all/into-profile" for n in names)
          + "   (into-profile: present, or absent for a boolean false)")
    gaps = []
    for field, v in all_values():
        key = (field, v)
        cells = []
        for n in names:
            # trimester values are stored as numbers
            a = cs[n]["per_value"][key] if field != "pregnancy_trimester" else sum(
                1 for e in results[n] for f in e["findings"]
                if f["field"] == field and f["value"] == v)
            p = cs[n]["per_value_present"][key] if field != "pregnancy_trimester" else sum(
                1 for e in results[n] for f in e["findings"]
                if f["field"] == field and f["value"] == v and f["assertion"] == "present")
            cells.append(f"{a:>4}/{p:<4}")
            need = 2 if n.startswith("gold") else 1
            if p < need:
                gaps.append(f"{n}: {field}={v} present {p} < {need}")
        print(f"{field + '=' + str(v):52}" + "   ".join(cells))
    if gaps:
        print("\ncoverage gaps (findings that go into the profile):")
        for g in gaps:
            print("  ", g)
    if len(names) >= 1 and "gold.yaml" in results and len(results["gold.yaml"]) < 220:
        print("ERROR: gold.yaml has fewer than 220 texts"); bad = True
    if "held_out.yaml" in results and len(results["held_out.yaml"]) < 70:
        print("ERROR: held_out.yaml has fewer than 70 texts"); bad = True
    print("\nOK" if not bad else "\nFAILED")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
