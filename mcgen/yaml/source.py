"""Human-edited YAML (fleet specs, policies) read with positions.

The only module that imports ruamel.yaml. Documents come back as plain Python values plus
a map from each value's path to where it stands, so that every later error can name
`file:line:col` without dragging ruamel types through the package. Most texts are read by
libyaml instead (`fastsource`), with the same result, 20 times faster; ruamel reads the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from mcgen.confine import escapes, refusal
from mcgen.errors import InputError
from mcgen.location import Location
from mcgen.yaml import fastsource
from mcgen.yaml.limits import (
    BUILD_ERRORS,
    build_error_message,
    expanded_size,
    failing_mark,
)
from mcgen.yaml.text import NotUtf8, decode

PathKey = tuple[str | int, ...]

# An alias bomb expands to billions of nodes; real fleet specs have thousands.
MAX_NODES = 2_000_000
MAX_DEPTH = 200
# ruamel reads ~50 kB/s; a fleet spec of a thousand clusters is a few hundred kB.
MAX_CHARS = 2 * 1024 * 1024


@dataclass(frozen=True)
class SourceDocument:
    """One YAML document: its plain value and the position of every path inside it."""

    path: str
    value: object
    positions: dict[PathKey, Location] = field(repr=False)

    def where(self, at: PathKey) -> Location:
        """The position of `at`, or of its nearest ancestor that has one."""
        for end in range(len(at), -1, -1):
            found = self.positions.get(at[:end])
            if found is not None:
                return found
        return Location(self.path, 1, 1)


def load_file(path: str, display_path: str | None = None, root: str | None = None
              ) -> list[SourceDocument]:
    """Every document of a YAML file; raises InputError with a location on any problem.

    With `root`, a file that resolves outside it (a symlink) is refused unread.
    """
    shown = display_path or path
    real = escapes(path, root) if root else None
    if real:
        raise InputError([refusal(shown, real)])
    try:
        with open(path, "rb") as handle:
            text = decode(handle.read())
    except OSError as exc:
        raise InputError.at(Location(shown), f"cannot read: {exc.strerror}") from exc
    if isinstance(text, NotUtf8):
        raise InputError.at(Location(shown, text.line, text.column), text.message)
    return load_text(text, shown)


def load_text(text: str, path: str) -> list[SourceDocument]:
    """Every document of `text`, which is shown as `path` in errors.

    Read through libyaml when `fastsource` can give exactly ruamel's result, else by ruamel.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError.at(Location(path, line, 1), "a NUL byte: this is not a YAML text file")
    if len(text) > MAX_CHARS:
        raise InputError.at(Location(path, 1, 1), f"larger than {MAX_CHARS // 2**20} MiB: too "
                            "big for a file people write (split it, or look for a pasted blob)")
    depth_at = _too_deep(text)
    if depth_at:
        raise InputError.at(Location(path, depth_at, 1),
                            f"YAML nested more than {MAX_DEPTH} levels deep; refusing it")
    fast = fastsource.read(text, path, MAX_DEPTH, MAX_NODES)
    if fast is not None:
        return [SourceDocument(path, value, positions) for value, positions in fast]
    return load_text_with_ruamel(text, path)


def load_text_with_ruamel(text: str, path: str) -> list[SourceDocument]:
    """Every document of `text` as ruamel reads it: the reference the fast path must match.

    Without the checks `load_text` makes first (NUL bytes, size, depth): call that.
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


def _too_deep(text: str) -> int:
    """The line where flow brackets or indentation pass MAX_DEPTH, else 0.

    ruamel's composer recurses per level and takes seconds to fail on a deep document;
    this look costs a millisecond. Quoted text is skipped roughly, erring towards depth.
    """
    depth, quote, line, previous = 0, "", 1, "\n"
    for char in text:
        if char == "\n":
            line += 1
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char  # a quoted scalar opens only where a token starts: not in "it's"
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth -= 1
        previous = char
    for number, row in enumerate(text.splitlines(), 1):
        if len(row) - len(row.lstrip(" ")) > 2 * MAX_DEPTH:
            return number
    return 0


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
