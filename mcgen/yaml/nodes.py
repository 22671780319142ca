"""Where a JSON path stands in a YAML text: the line and column findings point at."""

from __future__ import annotations

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
