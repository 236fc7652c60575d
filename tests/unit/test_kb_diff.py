"""tools/kb_diff.py: what a knowledge change changes, on copies of this project's tree.

The rules are edited while these tests live, so they name no rule except the one they change,
and pick it from the rules themselves when it is gone.
"""

import json
import shutil
from pathlib import Path

import pytest
import yaml

from service.contract import vocabulary
from tools import kb_diff

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SAMPLES = 200
PREFERRED_RULE = "long_lasting_cramp"


def copy_tree(source: Path, target: Path) -> Path:
    """The parts of a project tree the service needs: service/, rules/ and the contract."""
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("service", "rules"):
        shutil.copytree(source / name, target / name, ignore=ignore)
    if (source / "openapi.yaml").exists():
        shutil.copy2(source / "openapi.yaml", target / "openapi.yaml")
    return target


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_tree(REPO, tmp_path_factory.mktemp("base"))


def examples_firing(rules: Path) -> dict[str, list[tuple[str, dict]]]:
    """Rule id -> (label, example) of each rules-file example whose expected fired rules hold it."""
    firing = {}
    for path in sorted(rules.glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for index, example in enumerate(content.get("examples") or []):
            label = f"{path.name}: {example.get('name', index)}"  # as tools/kb_diff.py names it
            for rule in (example.get("expect") or {}).get("fired") or []:
                firing.setdefault(rule, []).append((label, example))
    return firing


def rule_to_lower(rules: Path) -> tuple[Path, dict, str]:
    """A rule that is urgent or soon (and calls no ambulance), its file, and the label of an
    example that exercises it at that urgency: long_lasting_cramp while it is one, otherwise
    the first such rule of rules/safety.yaml, then of the other rules files."""
    firing = examples_firing(rules)
    files = sorted(rules.glob("*.yaml"), key=lambda path: (path.name != "safety.yaml", path.name))
    candidates = []
    for path in files:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        candidates += [(path, rule) for rule in content.get("rules") or []]
    candidates.sort(key=lambda candidate: candidate[1]["id"] != PREFERRED_RULE)
    for path, rule in candidates:
        if rule.get("urgency") not in ("urgent", "soon") or rule.get("call_emergency_services"):
            continue
        for label, example in firing.get(rule["id"], []):
            if (example.get("expect") or {}).get("urgency") == rule["urgency"]:
                return path, rule, label
    pytest.fail("no urgent or soon rule is exercised by an example at its urgency")


def lower_to_routine(path: Path, rule_id: str) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    (rule,) = [rule for rule in content["rules"] if rule["id"] == rule_id]
    rule["urgency"] = "routine"
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), "utf-8")


def test_an_identical_copy_changes_no_profile_and_refuses_none(base, tmp_path):
    copy = copy_tree(base, tmp_path / "copy")

    result = kb_diff.diff(base, copy, samples=SAMPLES, seed=1)

    counts = result["counts"]
    assert counts["changed"] == 0
    assert result["groups"] == []
    assert counts["not comparable"] == 0  # every example and every sample is a valid profile
    assert counts["sampled"] == SAMPLES
    assert counts["rules examples"] > 0
    assert counts["profiles"] >= SAMPLES
    assert result["knowledge_base"][0] == result["knowledge_base"][1] is not None


def test_a_rule_made_less_urgent_is_reported_with_the_example_that_exercises_it(base, tmp_path):
    changed = copy_tree(base, tmp_path / "changed")
    path, rule, example = rule_to_lower(changed / "rules")
    lower_to_routine(path, rule["id"])
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [r["urgency"] for r in content["rules"] if r["id"] == rule["id"]] == ["routine"]

    result = kb_diff.diff(base, changed, samples=SAMPLES, seed=1)  # fails if the copy won't load

    assert result["counts"]["less urgent"] > 0
    lowered = [group for group in result["groups"]
               if f"urgency {rule['urgency']}->routine" in group["signature"]]
    assert lowered
    assert all(group["section"] == "less urgent" for group in lowered)
    assert any(example in group["rules_examples"] for group in lowered)
    report = kb_diff.render(result, ["base", "changed"], top=30)
    less_urgent = report.split("## Less urgent")[1].split("## More urgent")[0]
    assert all(f"`{group['signature']}`" in less_urgent for group in lowered)


def test_the_sampled_profiles_are_the_same_for_the_same_seed():
    words = json.loads(json.dumps({
        "arrays": vocabulary.ARRAY_FIELDS, "enums": vocabulary.ENUM_FIELDS,
        "booleans": vocabulary.BOOLEAN_FIELDS, "numbers": vocabulary.NUMBER_FIELDS}))

    first = kb_diff.sample_profiles(words, SAMPLES, seed=7)

    assert first == kb_diff.sample_profiles(words, SAMPLES, seed=7)
    assert first != kb_diff.sample_profiles(words, SAMPLES, seed=8)
    assert len({kb_diff.canonical(profile) for profile in first}) == SAMPLES
    for profile in first:
        assert 1 <= len(profile["locations"]) <= 4
        assert "pregnancy_trimester" not in profile or profile["pregnant"] is True
    assert any(len(profile) <= 3 for profile in first)


def test_a_change_signature_names_urgency_emergency_and_items_and_a_refusal_is_its_own_group():
    old = {"status": 200, "urgency": "soon", "emergency": True, "specialists": ["therapist"],
           "tests": [], **{kind: [] for kind in kb_diff.ADVICE_KINDS}}
    new = {**old, "urgency": "routine", "emergency": False, "specialists": ["neurologist"],
           "warnings": ["possible_dvt"]}

    signature, facts = kb_diff.compare(old, new)

    assert signature == ("urgency soon->routine; emergency true->false; "
                         "+specialists.neurologist; -specialists.therapist; +warnings.possible_dvt")
    assert kb_diff.section(facts) == "less urgent"
    assert kb_diff.compare(old, old)[0] == ""
    refused, facts = kb_diff.compare(old, {**old, "status": 400})
    assert refused == "not comparable: status 200 vs 400"
    assert kb_diff.section(facts) == "not comparable"
