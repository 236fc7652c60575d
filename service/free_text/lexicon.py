"""The lexicon (``rules/free_text/lexicon.yaml``) and the ConText cues (``cues.yaml``), read,
checked against the contract's vocabulary and compiled into one token trie.

Checked at load, so a mistake stops the start-up with a message naming the file and the value:
every value of every enum and array field of the contract needs at least one phrase, and a
phrase for a field or value the contract does not have is refused. Numbers (age, minutes,
trimester) are read by :mod:`service.free_text.numbers`, not listed here.

The trie maps token sequences to what they mean (a value, a cue, a terminator, a pseudo-cue, an
unmapped phrase or a phrase to ignore); the parser walks it once per token, longest match first,
which keeps a parse linear in the text and independent of the lexicon's size. It is built once
and never changed afterwards.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from service.contract.free_text import Value
from service.contract.vocabulary import ARRAY_FIELDS, BOOLEAN_FIELDS, ENUM_FIELDS, LABELS
from service.free_text.tokens import Token, phrase_tokens

LEXICON_FILE = "lexicon.yaml"
CUES_FILE = "cues.yaml"
#: ConText's categories, named by the assertion a finding in their scope takes.
CATEGORIES = ("absent", "other_person", "hypothetical", "historical")
DIRECTIONS = ("before", "after")  # where the cue stands: before the finding, or after it
SEXES_OF_PEOPLE = (*LABELS["sex"], "none")


class LexiconError(ValueError):
    """The lexicon or the cues are broken; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase means. ``kind`` is ``value`` (``field``/``value``), ``cue``
    (``category``/``direction``), ``person`` (someone else, ``value`` their sex or ``none``),
    ``pseudo``, ``terminator``, ``unmapped`` or ``ignore``."""

    kind: str
    field: str = ""
    value: Value = ""
    category: str = ""
    direction: str = ""


@dataclass(slots=True)
class _Building:
    children: dict[str, "_Building"] = field(default_factory=dict)
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True, slots=True)
class _Node:
    """A node of the compiled trie: read-only (a mapping proxy), so a parser shared by the
    greenlets of a worker cannot be changed by one of them."""

    children: Mapping[str, "_Node"]
    entries: tuple[Entry, ...]


def _frozen(node: _Building) -> _Node:
    return _Node(MappingProxyType({token: _frozen(child)
                                   for token, child in node.children.items()}), node.entries)


@dataclass(frozen=True)
class Lexicon:
    """The compiled lexicon: a trie of token sequences and ConText's scope windows."""

    root: _Node
    windows: Mapping[str, int]
    phrases: int

    def longest(self, tokens: Sequence[Token], start: int) -> tuple[int, tuple[Entry, ...]]:
        """The end (exclusive token index) and meaning of the longest phrase starting at
        ``start``, or ``(start, ())``; ``*`` in a phrase matches any one word."""
        best: tuple[int, tuple[Entry, ...]] = (start, ())
        stack = [(self.root, start)]
        while stack:
            node, i = stack.pop()
            if node.entries and i > best[0]:
                best = (i, node.entries)
            if i >= len(tokens):
                continue
            norm = tokens[i].norm
            child = node.children.get(norm)
            if child is not None:
                stack.append((child, i + 1))
            wild = node.children.get("*")
            if wild is not None and tokens[i].is_word:
                stack.append((wild, i + 1))
        return best


def load_lexicon(directory: Path) -> Lexicon:
    """Read, check and compile the lexicon of ``directory``; ``LexiconError`` names a mistake."""
    lexicon = _read(directory / LEXICON_FILE)
    cues = _read(directory / CUES_FILE)
    root = _Building()
    count = 0
    for tokens, entry in [*_value_entries(lexicon), *_cue_entries(cues)]:
        node = root
        for token in tokens:
            node = node.children.setdefault(token, _Building())
        if entry not in node.entries:
            node.entries = (*node.entries, entry)
        count += 1
    windows = cues.get("window")
    if not isinstance(windows, dict) or set(windows) != set(CATEGORIES) or not all(
            isinstance(size, int) and size > 0 for size in windows.values()):
        raise LexiconError(f"{CUES_FILE}: window must give a positive number of words for each "
                           f"of {', '.join(CATEGORIES)}")
    return Lexicon(_frozen(root), MappingProxyType(dict(windows)), count)


def _read(path: Path) -> dict[str, Any]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LexiconError(f"cannot read {path} ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise LexiconError(f"{path.name} is not valid YAML: {error}") from error
    if not isinstance(content, dict):
        raise LexiconError(f"{path.name}: expected a mapping at the top")
    return content


def _phrases(raw: object, where: str) -> list[tuple[str, ...]]:
    if not isinstance(raw, list) or not raw:
        raise LexiconError(f"{where}: expected a non-empty list of phrases")
    out = []
    for phrase in raw:
        tokens = phrase_tokens(phrase) if isinstance(phrase, str) else ()
        if not tokens or tokens[0] == "*":
            raise LexiconError(f"{where}: {phrase!r} is not a phrase (words, not starting with *)")
        out.append(tokens)
    return out


def _value_entries(lexicon: Mapping[str, Any]) -> Iterable[tuple[tuple[str, ...], Entry]]:
    fields = lexicon.get("fields")
    if not isinstance(fields, dict):
        raise LexiconError(f"{LEXICON_FILE}: expected 'fields', a mapping of field to values")
    vocabulary: dict[str, tuple[Value, ...]] = {**ARRAY_FIELDS, **ENUM_FIELDS}
    vocabulary.update({name: (True, False) for name in BOOLEAN_FIELDS})
    for name, values in fields.items():
        if name not in vocabulary:
            raise LexiconError(f"{LEXICON_FILE}: {name!r} is not an enum, array or boolean "
                               "field of the contract")
        if not isinstance(values, dict):
            raise LexiconError(f"{LEXICON_FILE}: {name}: expected a mapping of value to phrases")
        unknown = [value for value in values if value not in vocabulary[name]]
        if unknown:
            raise LexiconError(f"{LEXICON_FILE}: {name}: phrases for {unknown[0]!r}, a value the "
                               "contract does not have")
        needed = (True,) if name in BOOLEAN_FIELDS else vocabulary[name]
        missing = [value for value in needed if value not in values]
        if missing:
            raise LexiconError(f"{LEXICON_FILE}: {name}: the value {missing[0]!r} has no phrases "
                               "(every value of the vocabulary must be findable)")
        for value, raw in values.items():
            for tokens in _phrases(raw, f"{LEXICON_FILE}: {name}: {value}"):
                yield tokens, Entry("value", name, value)
    missing_fields = [name for name in vocabulary if name not in fields]
    if missing_fields:
        raise LexiconError(f"{LEXICON_FILE}: the field {missing_fields[0]!r} has no phrases")
    for kind in ("unmapped", "ignore"):
        for tokens in _phrases(lexicon.get(kind), f"{LEXICON_FILE}: {kind}"):
            yield tokens, Entry(kind)


def _cue_entries(cues: Mapping[str, Any]) -> Iterable[tuple[tuple[str, ...], Entry]]:
    for category in CATEGORIES:
        sides = cues.get(category)
        if not isinstance(sides, dict) or not set(sides) <= set(DIRECTIONS) or not sides:
            raise LexiconError(f"{CUES_FILE}: {category}: expected phrases under before and/or "
                               "after")
        for direction, raw in sides.items():
            for tokens in _phrases(raw, f"{CUES_FILE}: {category}: {direction}"):
                yield tokens, Entry("cue", category=category, direction=direction)
    for kind in ("pseudo", "terminator"):
        for tokens in _phrases(cues.get(kind), f"{CUES_FILE}: {kind}"):
            yield tokens, Entry(kind)
    people = cues.get("people")
    if not isinstance(people, dict) or not set(people) <= set(SEXES_OF_PEOPLE):
        raise LexiconError(f"{CUES_FILE}: people: expected phrases under "
                           f"{', '.join(SEXES_OF_PEOPLE)}")
    for sex, raw in people.items():
        for tokens in _phrases(raw, f"{CUES_FILE}: people: {sex}"):
            yield tokens, Entry("person", value=sex, category="other_person")
