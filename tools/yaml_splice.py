"""Replace the values of chosen keys of a YAML text, and leave every other byte as it was.

A round trip through a YAML library rewrites what it reads: ruamel.yaml, which keeps comments,
still re-indented 150 lines of openapi.yaml's examples and re-wrapped its long flow sequences.
Here PyYAML only finds where each chosen key's value lies (its node's lines); those lines are
replaced by the new value, dumped alone in block style and indented under the key (a scalar
written on its key's line is replaced on that line), and the result is parsed again to prove
that nothing but those values changed.
"""

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, ten times faster
_DIFFERENT = object()  # stands for a replaced value when the rest of two documents is compared


class _Dumper(yaml.SafeDumper):
    """Block style as the hand-written files write it: a sequence indented under its key, a
    text of several lines as a literal block, a long one folded."""

    #: A text longer than this is folded (set for each dump: the room under its key).
    fold_over = 80

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _text(dumper: _Dumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else ">" if len(text) > dumper.fold_over else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def replace_values(text: str, values: dict[tuple[str, ...], object], width: int = 100) -> str:
    """``text`` with the value of each key path of ``values`` (``("components", "schemas",
    "Trigger")``) replaced by its new value; ValueError if a path is not a key whose value is a
    block of its own lines or a scalar on the key's line, or if anything else would change."""
    root = yaml.compose(text, Loader=LOADER)
    lines = text.splitlines(keepends=True)
    spans = []
    for path, value in values.items():
        key, node = _find(root, path)
        if _scalar_on_its_keys_line(key, node):
            line, start, end = node.start_mark.line, node.start_mark.column, node.end_mark.column
            spans.append((line, line + 1,
                          lines[line][:start] + _inline(value, path) + lines[line][end:]))
            continue
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) or node.flow_style \
                or node.start_mark.line <= key.start_mark.line:
            raise ValueError(f"{'/'.join(path)}: not a block mapping or sequence under its key, "
                             "nor a scalar on its key's line")
        first, last = key.start_mark.line + 1, _last_line(node, lines)
        spans.append((first, last + 1, dump(value, key.start_mark.column + 2, width)))
    for first, end, block in sorted(spans, reverse=True):
        lines[first:end] = [block]
    result = "".join(lines)
    _prove_only_these_changed(text, result, values)
    return result


def _scalar_on_its_keys_line(key: yaml.Node, node: yaml.Node) -> bool:
    # A plain scalar's style is None in PyYAML's loader and '' in libyaml's.
    return (isinstance(node, yaml.ScalarNode) and node.style in (None, "", "'", '"')
            and node.start_mark.line == node.end_mark.line == key.start_mark.line)


def _inline(value: object, path: tuple[str, ...]) -> str:
    """``value`` as a YAML scalar on one line, as a key's value after ``key: ``."""
    if isinstance(value, (dict, list, tuple)):
        raise ValueError(f"{'/'.join(path)}: a scalar on its key's line takes a scalar")
    text = yaml.safe_dump(value, width=float("inf"), allow_unicode=True)  # never folded
    first, _, rest = text.partition("\n")
    if rest.strip() not in ("", "..."):
        raise ValueError(f"{'/'.join(path)}: the value does not fit on its key's line")
    return first


def dump(value: object, indent: int, width: int) -> str:
    """``value`` as block-style YAML lines, each indented by ``indent`` spaces and at most
    ``width`` long where its words allow. PyYAML breaks a line only once it is past the width
    it is given, by up to a word: the widest width whose lines all fit is taken."""
    dumper = type("Dumper", (_Dumper,), {"fold_over": width - indent - 8})
    for room in range(width - indent, 20, -1):
        text = yaml.dump(value, Dumper=dumper, default_flow_style=False, sort_keys=False,
                         allow_unicode=True, width=room)
        if max(map(len, text.splitlines()), default=0) <= width - indent:
            break
    return "".join(" " * indent + line if line.strip() else line
                   for line in text.splitlines(keepends=True))


def _find(root: yaml.Node, path: tuple[str, ...]) -> tuple[yaml.Node, yaml.Node]:
    node = key = root
    for name in path:
        found = [(k, v) for k, v in node.value if getattr(k, "value", None) == name] \
            if isinstance(node, yaml.MappingNode) else []
        if len(found) != 1:
            raise ValueError(f"{'/'.join(path)}: no key {name!r} there")
        key, node = found[0]
    return key, node


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The last line (0-based) holding a character of ``node``."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value \
            and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark
    last = end.line if end.column else end.line - 1  # a block scalar ends at the next line
    while not lines[last].strip():
        last -= 1
    return last


def _prove_only_these_changed(old: str, new: str, values: dict) -> None:
    before, after = yaml.load(old, Loader=LOADER), yaml.load(new, Loader=LOADER)  # noqa: S506
    for path, value in values.items():
        *parents, name = path
        old_parent, new_parent = before, after
        for each in parents:
            old_parent, new_parent = old_parent[each], new_parent[each]
        if new_parent[name] != value:
            raise ValueError(f"{'/'.join(path)}: written, but it does not read back the same")
        old_parent[name] = new_parent[name] = _DIFFERENT
    if before != after:
        raise ValueError("replacing the values would change another part of the document")


def replace_between(text: str, start: str, end: str, block: str) -> str:
    """``text`` with what lies between the lines ``start`` and ``end`` replaced by ``block``."""
    head, found, rest = text.partition(start + "\n")
    _, found_end, tail = rest.partition(end + "\n")
    if not found or not found_end or start in tail:
        raise ValueError(f"the markers {start!r} and {end!r} must each be there once, in order")
    return head + start + "\n" + block + end + "\n" + tail
