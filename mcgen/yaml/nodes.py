"""Where a JSON path stands in a YAML text (the line and column findings point at), and
which scalars a text writes plain."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

import yaml

from mcgen.yaml.source import PathKey

Node = yaml.Node


def document_at(text: str, line: int) -> Node | None:
    """The composed document of `text` that starts at or after 1-based `line`."""
    try:
        for node in yaml.compose_all(text, Loader=yaml.CSafeLoader):
            if node is not None and node.start_mark.line + 1 >= line:
                return node
    except yaml.YAMLError:
        return None
    return None


def walk(node: Node | None, at: PathKey) -> tuple[int, int]:
    """Line and column of the deepest node on `at` (of the key, for mapping entries)."""
    if node is None:
        return 0, 0
    best = (node.start_mark.line + 1, node.start_mark.column + 1)
    for part in at:
        child = _child(node, part)
        if child is None:
            break
        key_node, node = child
        anchor = key_node or node
        best = (anchor.start_mark.line + 1, anchor.start_mark.column + 1)
    return best


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None


class Leaf(NamedTuple):
    """A scalar of a YAML text: its document, JSON path, and character span."""

    document: int
    at: PathKey
    start: int
    end: int


def leaves(text: str) -> list[Leaf]:
    """Every scalar value of every document (mapping keys are not leaves), in text order;
    [] for a text that is not YAML."""
    found: list[Leaf] = []
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=yaml.CSafeLoader)):
            if node is not None:
                _leaves(node, index, (), found)
    except yaml.YAMLError:
        return []
    return found


def _leaves(node: Node, document: int, at: PathKey, found: list[Leaf]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            if isinstance(key, yaml.ScalarNode):
                _leaves(child, document, (*at, str(key.value)), found)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _leaves(child, document, (*at, index), found)
    elif isinstance(node, yaml.ScalarNode):
        found.append(Leaf(document, at, node.start_mark.index, node.end_mark.index))


class PlainScalar(NamedTuple):
    """An unquoted, untagged scalar of a document: its text and JSON path (for a key, the
    path of its entry)."""

    text: str
    at: PathKey
    is_key: bool


class _Marking(yaml.CSafeLoader):
    """libyaml composing, every plain untagged scalar tagged `!plain`."""

    def resolve(self, kind: type[yaml.Node], value: str | None,
                implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


_PLAIN = "!plain"


@lru_cache(maxsize=4096)
def plain_scalars(text: str, line: int) -> tuple[PlainScalar, ...]:
    """The plain scalars of the document of `text` that starts at 1-based `line`."""
    try:
        for node in yaml.compose_all(text, Loader=_Marking):
            if node is not None and node.start_mark.line + 1 >= line:
                return tuple(_plain(node, ()))
    except (yaml.YAMLError, RecursionError):
        return ()
    return ()


def _plain(node: Node, at: PathKey) -> Iterator[PlainScalar]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            if isinstance(key, yaml.ScalarNode) and key.tag == _PLAIN:
                yield PlainScalar(key.value, (*at, name), True)
            yield from _plain(value, (*at, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _plain(item, (*at, index))
    elif isinstance(node, yaml.ScalarNode) and node.tag == _PLAIN:
        yield PlainScalar(node.value, at, False)
