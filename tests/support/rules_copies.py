"""Editable copies of rules/ for the loader's tests: change one thing, see it refused."""

import shutil
from pathlib import Path

import pytest
import yaml

from service.config import PROJECT_ROOT
from service.knowledge import KnowledgeError, load_knowledge

RULES = PROJECT_ROOT / "rules"


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    """A copy of rules/ that a test may break."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def edit_rule(rules_dir: Path, file: str, rule_id: str, **changes) -> None:
    path = rules_dir / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = next(rule for rule in data["rules"] if rule["id"] == rule_id)
    rule.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def edit_reference(rules_dir: Path, ref_id: str, **changes) -> None:
    path = rules_dir / "references.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["references"][ref_id].update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def load_error(rules_dir: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(rules_dir)
    return str(caught.value)


def edit_item(rules_dir: Path, file: str, kind: str, item_id: str, **changes) -> None:
    """Change (or, with ``None``, remove) attributes of a catalogue item of ``file``."""
    path = rules_dir / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = next(item for item in data["catalogue"][kind] if item["id"] == item_id)
    item.update(changes)
    for key in [key for key, value in changes.items() if value is None]:
        del item[key]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
