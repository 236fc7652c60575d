"""What a knowledge change changes: the same profiles through two versions of the service.

A rule edit can move the urgency, the emergency call, the referral or the advice of profiles its
author never thought of, and the rules files' own examples only cover what their authors had in
mind. ``make kb-diff REV=<revision>`` runs every rules-file example of both versions and a seeded
sample of random valid profiles through the knowledge base at that revision and at the working
tree, and reports each profile whose answer changed, grouped by change, with counts. Every group
that became less urgent (or lost its emergency call) is listed: a safety reviewer reads each one.

Each side runs its own code in a subprocess, with its own tree on PYTHONPATH, through the stable
public surface only: ``create_app``, ``POST /v1/advice`` and the vocabulary module
(``service.contract.vocabulary``, ``service.vocabulary`` before it). Samples use the values both
sides know, so every sample is valid for both (a request field only the newer side has, such as
1.2's ``risk_factors``, is left out of the samples); a profile one side refuses (an
example with a value only the other side knows) is reported as not comparable, not as an error.
The summary names the profiles that lost their emergency call on a line of their own.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
URGENCIES = ("self_care", "routine", "soon", "urgent")  # least to most urgent
ADVICE_KINDS = ("emergency_steps", "cause_groups", "lifestyle_rules", "medication_info", "warnings")
COMPARED = ("specialists", "tests", *ADVICE_KINDS)
TYPICAL_MINUTES = (1, 3, 5, 10, 10.5, 15, 60, 240)
AGE_BANDS = ((0, 17), (18, 64), (65, 120))  # children, adults, older people
# Settings that would point a side at other files, or close /v1/ to it.
FOREIGN_ENV = ("RULES_DIR", "OPENAPI_PATH", "SERVICE_API_KEYS", "PROMETHEUS_MULTIPROC_DIR")

# Run in each tree: `vocabulary OUT` or `advise OUT KIND...` (profiles as JSON lines on stdin).
# Results go to the file OUT, never stdout, where the service writes its access log.
RUNNER = r"""
import json, logging, os, sys
import service

def vocabulary():
    try:
        from service.contract import vocabulary as v
    except ImportError:  # a tree from before the contract package (1.1.0 and earlier)
        from service import vocabulary as v
    return {"arrays": v.ARRAY_FIELDS, "enums": v.ENUM_FIELDS, "booleans": v.BOOLEAN_FIELDS,
            "numbers": v.NUMBER_FIELDS}

def ids(items):
    return sorted(item["id"] for item in items or ())

def advise(out, kinds):
    app = service.create_app({"TESTING": True, "ANSWER_CACHE_SIZE": 0})
    logging.disable(logging.CRITICAL)
    client = app.test_client()
    for line in sys.stdin:
        response = client.post("/v1/advice", json=json.loads(line))
        answer = (response.get_json(silent=True) if response.status_code == 200 else None) or {}
        referral = answer.get("referral") or {}
        result = {"status": response.status_code, "urgency": answer.get("urgency"),
                  "emergency": answer.get("call_emergency_services", False),
                  "specialists": ids(referral.get("specialists")),
                  "tests": ids(referral.get("tests")),
                  "version": (answer.get("knowledge_base") or {}).get("version")}
        result.update({kind: ids(answer.get(kind)) for kind in kinds})
        out.write(json.dumps(result) + "\n")

tree = os.path.realpath(os.getcwd())
if not os.path.realpath(service.__file__).startswith(tree + os.sep):
    sys.exit(f"service was imported from {service.__file__}, not from {tree}")
with open(sys.argv[2], "w") as out:
    if sys.argv[1] == "vocabulary":
        json.dump(vocabulary(), out)
    else:
        advise(out, sys.argv[3:])
"""


def canonical(profile: dict) -> str:
    return json.dumps(profile, sort_keys=True, separators=(",", ":"))


def run_sides(trees: list[Path], mode: str, work: Path, stdin: Path | None = None) -> list[str]:
    """Run RUNNER in every tree at once (one process each); the text each wrote."""
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    started = []
    for index, tree in enumerate(trees):
        out, err = work / f"{mode}-{index}.out", work / f"{mode}-{index}.err"
        command = [sys.executable, "-c", RUNNER, mode, str(out), *ADVICE_KINDS]
        side_env = {**env, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
        with open(stdin or os.devnull, "rb") as source, open(err, "wb") as errors:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
                command, cwd=tree, env=side_env, stdin=source, stdout=subprocess.DEVNULL,
                stderr=errors)
        started.append((tree, process, out, err))
    texts = []
    for tree, process, out, err in started:
        if process.wait():
            raise SystemExit(f"{tree}: the {mode} run failed:\n{err.read_text()[-4000:]}")
        texts.append(out.read_text())
    return texts


def common_vocabulary(old: dict, new: dict) -> dict:
    """The fields and values both sides know, in the old side's order."""
    def shared(kind):
        return {field: [value for value in values if value in new[kind][field]]
                for field, values in old[kind].items() if field in new[kind]}

    numbers = {field: (max(low, new["numbers"][field][0]), min(high, new["numbers"][field][1]))
               for field, (low, high) in old["numbers"].items() if field in new["numbers"]}
    vocabulary = {"arrays": shared("arrays"),
                  "enums": {field: values for field, values in shared("enums").items() if values},
                  "booleans": [field for field in old["booleans"] if field in new["booleans"]],
                  "numbers": {field: bounds for field, bounds in numbers.items()
                              if bounds[0] <= bounds[1]}}
    if not vocabulary["arrays"].get("locations"):
        raise SystemExit("the two sides share no locations: no profile is valid for both")
    return vocabulary


def random_number(rng: random.Random, field: str, low: float, high: float) -> float:
    if field == "duration_minutes":  # above low: a cramp lasts some time
        typical = [minutes for minutes in TYPICAL_MINUTES if low < minutes <= high]
        if typical and rng.random() < 0.5:
            return rng.choice(typical)
        minutes = round(rng.uniform(low, high), 2)
        return minutes if minutes > low else high
    if field == "age":
        bands = [(max(a, low), min(b, high)) for a, b in AGE_BANDS if max(a, low) <= min(b, high)]
        return rng.randint(*rng.choice(bands))
    return rng.randint(low, high)


def random_value(rng: random.Random, vocabulary: dict, field: str):
    if field in vocabulary["arrays"]:
        values = vocabulary["arrays"][field]
        size = min(rng.randint(0, len(values)), rng.randint(0, len(values)))  # small more often
        return sorted(rng.sample(values, size), key=values.index)
    if field in vocabulary["enums"]:
        return rng.choice(vocabulary["enums"][field])
    if field in vocabulary["booleans"]:
        return rng.random() < 0.5
    return random_number(rng, field, *vocabulary["numbers"][field])


def random_profile(rng: random.Random, vocabulary: dict) -> dict:
    """A valid profile: 1-4 locations; then either up to two other fields (small profiles are
    common), or each other field with probability one half; a trimester only when pregnant."""
    locations = vocabulary["arrays"]["locations"]
    size = rng.randint(1, min(4, len(locations)))
    profile = {"locations": sorted(rng.sample(locations, size), key=locations.index)}
    optional = [field for kind in ("arrays", "enums", "booleans", "numbers")
                for field in vocabulary[kind] if field not in ("locations", "pregnancy_trimester")]
    if rng.random() < 0.4:
        chosen = set(rng.sample(optional, rng.randint(0, min(2, len(optional)))))
    else:
        chosen = {field for field in optional if rng.random() < 0.5}
    for field in optional:
        if field in chosen:
            profile[field] = random_value(rng, vocabulary, field)
    trimester = "pregnancy_trimester" in vocabulary["numbers"] and rng.random() < 0.5
    if profile.get("pregnant") is True and trimester:
        profile["pregnancy_trimester"] = random_value(rng, vocabulary, "pregnancy_trimester")
    return profile


def sample_profiles(vocabulary: dict, count: int, seed: int) -> list[dict]:
    """``count`` distinct random valid profiles (fewer only if the vocabulary has fewer); the
    same ones for the same seed and vocabulary."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    profiles, seen = [], set()
    for _ in range(50 * count):
        if len(profiles) == count:
            break
        profile = random_profile(rng, vocabulary)
        if canonical(profile) not in seen:
            seen.add(canonical(profile))
            profiles.append(profile)
    return profiles


def example_profiles(tree: Path):
    """(label, profile) of every ``examples[].profile`` of the tree's rules files."""
    for path in sorted((tree / "rules").glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples = content.get("examples") if isinstance(content, dict) else None
        for index, example in enumerate(examples or []):
            if isinstance(example, dict) and isinstance(example.get("profile"), dict):
                yield f"{path.name}: {example.get('name', index)}", example["profile"]


def all_profiles(trees: list[Path], vocabulary: dict, samples: int, seed: int) -> list[dict]:
    """Distinct profiles, each with the rules examples it is and whether it was sampled."""
    entries = {}
    for tree in trees:
        for label, profile in example_profiles(tree):
            entry = entries.setdefault(canonical(profile), {"profile": profile, "examples": []})
            if label not in entry["examples"]:
                entry["examples"].append(label)
    for profile in sample_profiles(vocabulary, samples, seed):
        entry = entries.setdefault(canonical(profile), {"profile": profile, "examples": []})
        entry["sampled"] = True
    return list(entries.values())


def rank(urgency) -> int | None:
    return URGENCIES.index(urgency) if urgency in URGENCIES else None


def compare(old: dict, new: dict) -> tuple[str, Counter]:
    """The change signature of one profile ("" if nothing changed) and what it counts as."""
    if old["status"] != 200 or new["status"] != 200:
        return f"not comparable: status {old['status']} vs {new['status']}", Counter(
            {"not comparable": 1})
    parts, facts = [], Counter()
    if old["urgency"] != new["urgency"]:
        parts.append(f"urgency {old['urgency']}->{new['urgency']}")
        before, after = rank(old["urgency"]), rank(new["urgency"])
        # An urgency outside the known order counts as less urgent, so a reviewer sees it.
        up = before is not None and after is not None and after > before
        facts["more urgent" if up else "less urgent"] = 1
    if bool(old["emergency"]) != bool(new["emergency"]):
        parts.append(f"emergency {json.dumps(old['emergency'])}->{json.dumps(new['emergency'])}")
        facts["emergency on" if new["emergency"] else "emergency off"] = 1
    for kind in COMPARED:
        parts += [f"+{kind}.{item}" for item in sorted(set(new[kind]) - set(old[kind]))]
        parts += [f"-{kind}.{item}" for item in sorted(set(old[kind]) - set(new[kind]))]
    if parts:
        facts["changed"] = 1
    return "; ".join(parts), facts


def section(facts: Counter) -> str:
    if facts["not comparable"]:
        return "not comparable"
    if facts["less urgent"] or facts["emergency off"]:
        return "less urgent"
    return "more urgent" if facts["more urgent"] or facts["emergency on"] else "same urgency"


def group_changes(entries: list[dict], old: list[dict], new: list[dict]) -> tuple[list, Counter]:
    """The groups of changed profiles, largest first, and the counts over all profiles."""
    groups, tally = {}, Counter()
    for entry, before, after in zip(entries, old, new, strict=True):
        signature, facts = compare(before, after)
        tally.update(facts)
        if not signature:
            continue
        group = groups.setdefault(signature, {
            "signature": signature, "section": section(facts), "count": 0, "example": None,
            "rules_examples": [], "profiles": []})
        group["count"] += 1
        group["profiles"].append(entry["profile"])
        group["rules_examples"] += entry["examples"]
        smallest = group["example"]
        if smallest is None or len(canonical(entry["profile"])) < len(canonical(smallest)):
            group["example"] = entry["profile"]
    return sorted(groups.values(), key=lambda g: (-g["count"], g["signature"])), tally


def diff(old_tree: Path, new_tree: Path, samples: int = 10000, seed: int = 1) -> dict:
    """Run the profiles through both trees and compare: the whole result as one dict."""
    trees = [Path(old_tree), Path(new_tree)]
    with tempfile.TemporaryDirectory(prefix="kb-diff-") as tmp:
        work = Path(tmp)
        vocabularies = [json.loads(text) for text in run_sides(trees, "vocabulary", work)]
        entries = all_profiles(trees, common_vocabulary(*vocabularies), samples, seed)
        stdin = work / "profiles.jsonl"
        stdin.write_text("".join(canonical(entry["profile"]) + "\n" for entry in entries))
        print(f"kb-diff: {len(entries):,} profiles through both sides", file=sys.stderr)
        old, new = ([json.loads(line) for line in text.splitlines()]
                    for text in run_sides(trees, "advise", work, stdin))
    groups, tally = group_changes(entries, old, new)
    versions = [next((r["version"] for r in side if r["version"]), None) for side in (old, new)]
    return {"knowledge_base": versions, "seed": seed, "samples": samples, "groups": groups,
            "counts": {"profiles": len(entries),
                       "rules examples": sum(1 for entry in entries if entry["examples"]),
                       "sampled": sum(1 for entry in entries if entry.get("sampled")),
                       **{key: tally[key] for key in (
                           "changed", "more urgent", "less urgent", "emergency on",
                           "emergency off", "not comparable")}}}


def group_line(group: dict) -> str:
    example = json.dumps(group["example"], separators=(",", ":"))
    line = f"- **{group['count']:,}** `{group['signature']}` e.g. `{example}`"
    examples = group["rules_examples"]
    if examples:
        more = f" and {len(examples) - 3} more" if len(examples) > 3 else ""
        line += f" (rules examples: {'; '.join(examples[:3])}{more})"
    return line


def summary(result: dict) -> list[str]:
    counts = result["counts"]
    both = counts["rules examples"] + counts["sampled"] - counts["profiles"]
    lost = counts["emergency off"]
    return [f"- Profiles compared: {counts['profiles']:,} distinct: {counts['rules examples']:,} "
            f"rules examples and {counts['sampled']:,} samples (seed {result['seed']}), "
            f"{both:,} of them both",
            f"- Changed: {counts['changed']:,} (more urgent {counts['more urgent']:,}, less "
            f"urgent {counts['less urgent']:,}, emergency call turned on "
            f"{counts['emergency on']:,}, turned off {counts['emergency off']:,})",
            f"- Emergency lost (call_emergency_services true in the old, false in the new): "
            f"{lost:,}" + ("; every one is listed under Less urgent" if lost else ""),
            f"- Not comparable (a side refused the profile): {counts['not comparable']:,}"]


def render(result: dict, sides: list[str], top: int) -> str:
    """The markdown report."""
    old_kb, new_kb = result["knowledge_base"]
    lines = ["# Knowledge-base diff", "", "| | old | new |", "|---|---|---|",
             f"| tree | {sides[0]} | {sides[1]} |", f"| knowledge base | {old_kb} | {new_kb} |",
             ""] + summary(result)
    titles = {"less urgent": "Less urgent (or emergency call turned off): every group",
              "more urgent": "More urgent (or emergency call turned on)",
              "same urgency": "Same urgency, other changes",
              "not comparable": "Not comparable (a side refused the profile)"}
    for name, title in titles.items():
        groups = [group for group in result["groups"] if group["section"] == name]
        shown = groups[:top] if name in ("more urgent", "same urgency") else groups
        lines += ["", f"## {title}", ""] + [group_line(group) for group in shown]
        rest = groups[len(shown):]
        if rest:
            lines.append(f"- and {len(rest):,} more groups, "
                         f"{sum(group['count'] for group in rest):,} profiles (see the JSON)")
        if not groups:
            lines.append("None.")
    return "\n".join(lines) + "\n"


def extract_revision(rev: str, into: Path) -> str:
    """Write the tree of ``rev`` into ``into`` (``git archive | tar``); its label for the report."""
    found = subprocess.run(  # noqa: S603 - rev is only ever passed after --end-of-options
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True)
    if found.returncode:
        raise SystemExit(f"kb-diff: not a git revision: {rev}")
    commit = found.stdout.strip()
    archive = subprocess.Popen(["git", "archive", commit], cwd=ROOT,  # noqa: S603, S607
                               stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(into)], stdin=archive.stdout, check=True)  # noqa: S603, S607
    archive.stdout.close()
    if archive.wait():
        raise SystemExit(f"kb-diff: git archive {rev} failed")
    return f"{rev} ({commit[:10]})"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.kb_diff", description=__doc__.split("\n\n")[0])
    old = parser.add_mutually_exclusive_group(required=True)
    old.add_argument("--rev", help="old side: this git revision of the repository")
    old.add_argument("--old-dir", type=Path, help="old side: a tree holding service/ and rules/")
    parser.add_argument("--new-dir", type=Path, default=ROOT,
                        help="new side: a project tree (default: the working tree)")
    parser.add_argument("--samples", type=int, default=10000,
                        help="random profiles to add (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1,
                        help="seed of the random profiles (default: %(default)s)")
    parser.add_argument("--top", type=int, default=30, help="groups listed of those more "
                        "urgent and of those the same (default: %(default)s); the JSON has all")
    parser.add_argument("--json", type=Path, default=Path("test-artifacts/kb-diff.json"),
                        help="where the full result goes (default: %(default)s)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    new_label = "working tree" if args.new_dir == ROOT else str(args.new_dir)
    with tempfile.TemporaryDirectory(prefix="kb-diff-rev-") as tmp:
        if args.rev:
            old_label, old_dir = extract_revision(args.rev, Path(tmp)), Path(tmp)
        else:
            old_label, old_dir = str(args.old_dir), args.old_dir
        result = diff(old_dir.resolve(), args.new_dir.resolve(), args.samples, args.seed)
    result = {"sides": [old_label, new_label], **result}
    print(render(result, result["sides"], args.top), end="")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
