"""The hazard log (docs/clinical-safety.md) stays true to the rules and the tests it names.

A safety rule or a reference that the log does not mention is a control nobody reviewed; a
rule id, reference id or test the log names that no longer exists is a control the log only
claims. Both fail here, so the log changes with the knowledge base.
"""

import re

import pytest
import yaml

from service.config import PROJECT_ROOT
from service.contract.vocabulary import REQUEST_FIELDS
from tests.support.knowledge import project_knowledge

LOG = (PROJECT_ROOT / "docs" / "clinical-safety.md").read_text(encoding="utf-8")
KB = project_knowledge()
SAFETY_RULES = sorted(rule.id for rule in KB.rules if rule.source["section"] == "safety")
REFERENCES = sorted(yaml.safe_load(
    (PROJECT_ROOT / "rules" / "references.yaml").read_text(encoding="utf-8"))["references"])
CITED_TESTS = sorted(set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", LOG)))


def backticked(label: str) -> set[str]:
    """The `ids` on the log's lines (and their continuations) that start with ``label``."""
    blocks = re.findall(rf"^- {label}:(.*?)(?=^- |^#|\Z)", LOG, flags=re.M | re.S)
    return {token for block in blocks for token in re.findall(r"`(\w+)`", block)}


@pytest.mark.parametrize("rule_id", SAFETY_RULES)
def test_every_safety_rule_is_a_control_of_some_hazard(rule_id):
    assert rule_id in backticked("Controls"), f"the hazard log does not name {rule_id}"


@pytest.mark.parametrize("reference", REFERENCES)
def test_every_reference_is_the_guidance_of_some_hazard(reference):
    assert reference in backticked("Guidance"), f"the hazard log does not cite {reference}"


def test_every_control_and_guidance_the_log_names_exists():
    items = {item for kind in KB.items.values() for item in kind}
    fields = {*REQUEST_FIELDS, "call_emergency_services"}
    assert backticked("Controls") - {rule.id for rule in KB.rules} - items - fields == set()
    assert backticked("Guidance") - set(REFERENCES) == set()


@pytest.mark.parametrize(("path", "name"), CITED_TESTS)
def test_every_test_the_log_cites_exists(path, name):
    source = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    assert re.search(rf"^def {name}\(", source, flags=re.M), f"{path} has no {name}"


def test_the_log_cites_tests_at_all():
    assert len(CITED_TESTS) > 20
