"""Human-edited YAML read by ruamel.yaml: the reference reader, and the one for texts
`fastsource` declines (anchors, tags, aliases, odd scalars).

The only module that imports ruamel.yaml, and only `mcgen.yaml.source` imports it, when a
text needs it: most commands never load ruamel (some 20 ms of their start).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from mcgen.errors import InputError
from mcgen.location import Location
from mcgen.yaml.limits import (
    BUILD_ERRORS,
    build_error_message,
    expanded_size,
    failing_mark,
)
from mcgen.yaml.source import MAX_DEPTH, MAX_NODES, PathKey, SourceDocument


def load_text(text: str, path: str) -> list[SourceDocument]:
    """Every document of `text` as ruamel reads it: the reference the fast path must match.

    Without the checks `mcgen.yaml.source.load_text` makes first (NUL bytes, size,
    depth): call that.
    """
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        # Converting reads merged keys (`<<`), which ruamel may fail on too.
        return [_convert(path, raw) for raw in yaml.load_all(text) if raw is not None]
    except MarkedYAMLError as exc:
        raise InputError.at(_mark_location(path, exc), _yaml_message(exc)) from exc
    except YAMLError as exc:
        raise InputError.at(Location(path, 1, 1), f"invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise InputError.at(Location(path, 1, 1), "YAML nested too deeply") from exc
    except BUILD_ERRORS as exc:
        raise InputError.at(_node_location(path, exc), build_error_message(exc)) from exc


def _node_location(path: str, exc: BaseException) -> Location:
    mark = failing_mark(exc)
    return Location.from_zero_based(path, *mark) if mark else Location(path, 1, 1)


def _mark_location(path: str, exc: MarkedYAMLError) -> Location:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Location(path, 1, 1)
    return Location.from_zero_based(path, mark.line, mark.column)


def _yaml_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "duplicate key" in problem or "found duplicate key" in context:
        return "duplicate key " + problem.split("duplicate key", 1)[-1].strip()
    parts = [part for part in (context, problem) if part]
    text = "invalid YAML: " + ("; ".join(parts) if parts else str(exc).splitlines()[0])
    start = exc.context_mark
    if start is not None and exc.problem_mark is not None and start.line != exc.problem_mark.line:
        text += f" (the construct began at line {start.line + 1}, column {start.column + 1})"
    return text


def _convert(path: str, raw: Any) -> SourceDocument:
    if expanded_size(raw, MAX_NODES) > MAX_NODES:
        raise InputError.at(Location(path, 1, 1), _too_big())
    positions: dict[PathKey, Location] = {(): Location(path, 1, 1)}
    budget = [MAX_NODES]
    value = _plain(raw, (), positions, path, budget)
    return SourceDocument(path, value, positions)


def _plain(
    node: Any, at: PathKey, positions: dict[PathKey, Location], path: str, budget: list[int]
) -> object:
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError.at(positions.get(at, Location(path, 1, 1)), _too_big())
    if len(at) > MAX_DEPTH:
        raise InputError.at(positions.get(at, Location(path, 1, 1)), "YAML nested too deeply")
    if isinstance(node, CommentedMap):
        return dict(_map_items(node, at, positions, path, budget))
    if isinstance(node, CommentedSeq):
        return list(_seq_items(node, at, positions, path, budget))
    return _scalar(node)


def _map_items(
    node: CommentedMap, at: PathKey, positions: dict[PathKey, Location], path: str,
    budget: list[int],
) -> Iterator[tuple[str, object]]:
    for key, child in node.items():
        name = str(key)
        child_at = (*at, name)
        line, col = node.lc.key(key)
        positions[child_at] = Location.from_zero_based(path, line, col)
        yield name, _plain(child, child_at, positions, path, budget)


def _seq_items(
    node: CommentedSeq, at: PathKey, positions: dict[PathKey, Location], path: str,
    budget: list[int],
) -> Iterator[object]:
    for index, child in enumerate(node):
        child_at = (*at, index)
        line, col = node.lc.item(index)
        positions[child_at] = Location.from_zero_based(path, line, col)
        yield _plain(child, child_at, positions, path, budget)


def _scalar(node: Any) -> object:
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, datetime.date):
        # Kept as text: values stay JSON-like, and the spec parses the dates it expects.
        return node.isoformat()
    return str(node)


def _too_big() -> str:
    return f"YAML expands to more than {MAX_NODES:,} values (an alias bomb?); refusing it"
