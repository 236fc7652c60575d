"""Read ``rules/`` into a :class:`KnowledgeBase`; any mistake stops the start, named precisely.

A folder or file that cannot be read is named by its full path, with the cause (a missing
folder once named only ``meta.yaml``; an unreadable file escaped as a raw ``PermissionError``).
"""

import hashlib
import os
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError

from service.knowledge.checks import check_knowledge
from service.knowledge.errors import KnowledgeError
from service.knowledge.model import Condition, Example, Item, KnowledgeBase, Loaded, Rule
from service.knowledge.policy import (
    POLICY_FILE,
    check_policy,
    policy_rules,
    with_contradictions_removed,
)
from service.knowledge.rules_schema import (
    ExampleSchema,
    ItemSchema,
    MetaSchema,
    PolicySchema,
    RuleSchema,
    RulesFileSchema,
)

META_FILE = "meta.yaml"


def load_knowledge(rules_dir: str | Path) -> KnowledgeBase:
    """Load, validate and cross-check every file of ``rules_dir``."""
    root = Path(rules_dir).absolute()
    _require_readable_folder(root)
    raw_meta = _read(root / META_FILE)
    meta = _validated(MetaSchema(), _parse_yaml(raw_meta, root / META_FILE), META_FILE,
                      "the file")
    document_path = root / meta["document"]
    try:
        raw_document = document_path.read_bytes()
    except OSError as error:
        raise KnowledgeError(f"{META_FILE}: cannot read the document {document_path} "
                             f"({error.strerror})") from error
    if hashlib.sha256(raw_document).hexdigest() != meta["document_sha256"]:
        raise KnowledgeError(f"{META_FILE}: {meta['document']} is not the text the rules were "
                             "written against (its SHA-256 differs from document_sha256)")
    document = raw_document.decode("utf-8")
    digest = hashlib.sha256(raw_meta + raw_document)
    raw_policy = _read(root / POLICY_FILE)
    policy = _validated(PolicySchema(), _parse_yaml(raw_policy, root / POLICY_FILE), POLICY_FILE,
                        "the file")
    digest.update(POLICY_FILE.encode() + raw_policy)
    files = []
    for path in sorted(root.glob("*.yaml")):
        if path.name in (META_FILE, POLICY_FILE):
            continue
        raw = _read(path)
        digest.update(path.name.encode() + raw)
        files.append((path.name, _validated(RulesFileSchema(), _parse_yaml(raw, path), path.name,
                                            "the file")))
    references = _references(files)
    items: dict[str, dict[str, Item]] = {}
    rules: list[Rule] = []
    examples: list[Example] = []
    excluded: list[Loaded] = []
    for name, content in files:
        _add_items(items, content["catalogue"], name, references)
        rules.extend(_rule(raw, name, i, references) for i, raw in enumerate(content["rules"]))
        examples.extend(_example(raw, name, i) for i, raw in enumerate(content["examples"]))
        excluded.extend(dict(entry, file=name) for entry in content["excluded"])
    check_policy(policy, rules, items)
    rules = [*with_contradictions_removed(rules, policy), *policy_rules(
        policy, items, lambda ids: references.shown(ids, POLICY_FILE))]
    unused = sorted(set(references) - references.cited)
    if unused:
        raise KnowledgeError(f"references {', '.join(unused)}: defined but cited by no source")
    knowledge = KnowledgeBase(
        version=f"{meta['version']}+{digest.hexdigest()[:12]}",
        meta=meta,
        policy=policy,
        items=items,
        rules=tuple(rules),
        examples=tuple(examples),
        document=document,
        excluded=tuple(excluded),
    )
    check_knowledge(knowledge)
    return knowledge


#: libyaml's safe loader, ten times faster than PyYAML's own (0.05 s against 0.5 s for rules/),
#: with the same results; PyYAML's where it was built without libyaml.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _require_readable_folder(root: Path) -> None:
    """``root`` is a folder whose files can be listed, or a start-up error naming it."""
    try:
        os.listdir(root)  # a folder one cannot list would otherwise look empty to glob()
    except OSError as error:
        cause = "not a folder" if isinstance(error, NotADirectoryError) else error.strerror
        raise KnowledgeError(f"{root}: cannot read the rules folder ({cause})") from error


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise KnowledgeError(f"{path}: cannot read the file ({error.strerror})") from error


def _parse_yaml(raw: bytes, path: Path) -> object:
    try:
        return yaml.load(raw.decode("utf-8"), Loader=_SAFE_LOADER)  # noqa: S506  # nosec B506
    except UnicodeDecodeError as error:
        raise KnowledgeError(f"{path.name}: not UTF-8 ({error.reason} at byte {error.start})"
                             ) from error
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path.name}: not valid YAML: {error}") from error


def _validated(schema: Schema, data: object, file: str, what: str) -> Loaded:
    if not isinstance(data, dict):
        raise KnowledgeError(f"{file}: {what}: expected a mapping")
    try:
        loaded: Loaded = schema.load(data)
        return loaded
    except ValidationError as error:
        raise KnowledgeError(f"{file}: {what}: {error.messages}") from error


def _name(raw: object, index: int, label: str) -> str:
    given = raw.get("id") or raw.get("name") if isinstance(raw, dict) else None
    return f"{label} {given!r}" if given else f"{label} #{index + 1}"


#: What a source shows of each reference it cites (the answers' and the knowledge base's
#: contract); ``quote`` and ``claim`` are for reviewers and stay in ``rules/references.yaml``.
SHOWN_FIELDS = ("title", "publisher", "url")


class References(dict[str, Loaded]):
    """Every file's ``references`` by id, noting which ones sources cite."""

    def __init__(self) -> None:
        super().__init__()
        self.cited: set[str] = set()

    def shown(self, ids: list[str], where: str) -> list[Loaded]:
        """What a source shows of the references ``ids``, which count as cited."""
        resolved = self.resolve({"references": ids}, where)
        return list(resolved["references"]) if resolved else []

    def resolve(self, source: Loaded | None, where: str) -> Loaded | None:
        """``source`` with its reference ids replaced by the references themselves."""
        if not source or "references" not in source:
            return source
        unknown = [ref for ref in source["references"] if ref not in self]
        if unknown:
            raise KnowledgeError(f"{where}: unknown references {', '.join(unknown)}")
        self.cited.update(source["references"])
        return dict(source, references=[{field: self[ref][field] for field in SHOWN_FIELDS}
                                        for ref in source["references"]])


def _references(files: list[tuple[str, Loaded]]) -> References:
    references = References()
    for name, content in files:
        for ref_id, reference in content["references"].items():
            if ref_id in references:
                raise KnowledgeError(f"{name}: reference {ref_id!r} is defined twice")
            references[ref_id] = reference
    return references


def _add_items(items: dict[str, dict[str, Item]], catalogue: dict[str, list[object]], file: str,
               references: References) -> None:
    for kind, entries in catalogue.items():
        table = items.setdefault(kind, {})
        for index, raw in enumerate(entries):
            what = _name(raw, index, f"{kind} item")
            data = _validated(ItemSchema(), raw, file, what)
            if data["id"] in table:
                raise KnowledgeError(f"{file}: {kind} item {data['id']!r} is defined twice")
            source = references.resolve(data.pop("source", None), f"{file}: {what}")
            item_id = data.pop("id")
            table[item_id] = Item(kind, item_id, data, source, len(table), file)


def _rule(raw: object, file: str, index: int, references: References) -> Rule:
    what = _name(raw, index, "rule")
    data = _validated(RuleSchema(), raw, file, what)
    data["source"] = references.resolve(data["source"], f"{file}: {what}")
    try:
        when = data["when"]
        conditions = [tuple(Condition.parse(text) for text in when[key]) for key in ("all", "any")]
    except ValueError as error:
        raise KnowledgeError(f"{file}: {what}: a comparison needs a number") from error
    return Rule(
        id=data["id"], file=file, priority=data["priority"], all=conditions[0],
        any=conditions[1], derive=tuple(data["derive"]), add=data["add"],
        suppress=data["suppress"], urgency=data.get("urgency"), reason=data.get("reason"),
        source=data["source"], call_emergency_services=data["call_emergency_services"],
    )


def _example(raw: object, file: str, index: int) -> Example:
    data = _validated(ExampleSchema(), raw, file, _name(raw, index, "example"))
    return Example(file, data["name"], data["profile"], data["expect"])
