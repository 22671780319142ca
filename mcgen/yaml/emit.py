"""Canonical YAML: the same object always gives the same bytes.

Key order is apiVersion, kind, metadata, then the rest sorted; nested keys are sorted
with `name` first (metadata: name, namespace, then the rest). Multi-line strings use
literal blocks so that config files stay readable in reviews.

The layout is PyYAML's block style, byte for byte, but written here: PyYAML's
representer costs ~170 µs an object, this ~20 µs. Each distinct scalar is still
formatted once by PyYAML (kept in a dict). A string is quoted wherever goyaml.v2 (kubectl,
Flux, Argo CD), goyaml.v3 (kustomize) or a YAML 1.1 or 1.2 reader would take its plain
text as anything but that string (`y`, `1e3`, `0o17`, `08`...: docs/yaml.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, lru_cache
from typing import Any, TypeVar

import yaml

from mcgen.yaml.resolve import plain_is_string_everywhere

TOP_ORDER = {"apiVersion": 0, "kind": 1, "metadata": 2}
META_ORDER = {"name": 0, "namespace": 1}
NESTED_ORDER = {"name": 0}


class CanonicalDumper(yaml.CSafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # identical subtrees are written out, never as &anchors


def _str(dumper: CanonicalDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.startswith((" ", "\t")) else _quoting(value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _quoting(value: str) -> str | None:
    """Quotes for a string that any reader would take, written plain, as something else."""
    return None if plain_is_string_everywhere(value) else "'"


CanonicalDumper.add_representer(str, _str)


def _pyyaml(value: object) -> str:
    text: str = yaml.dump(value, Dumper=CanonicalDumper, sort_keys=False,
                          default_flow_style=False, allow_unicode=True, width=1_000_000,
                          indent=2)
    return text


def _scalar(value: object, kind: type) -> str | None:
    """A one-line scalar as PyYAML writes it, or None when it needs a block."""
    # Floats skip the cache: 0.0 == -0.0 would share an entry.
    return _scalar_text(value) if kind is float else _cached_scalar(value, kind)


@lru_cache(maxsize=65536)
def _cached_scalar(value: object, kind: type) -> str | None:
    return _scalar_text(value)


def _scalar_text(value: object) -> str | None:
    text = _pyyaml(value)
    if text.endswith("\n...\n"):  # a plain scalar at document level ends the document
        text = text[:-5]
    text = text.removesuffix("\n")
    # PyYAML also breaks lines at NEL and the Unicode line and paragraph separators.
    if text.startswith(("|", ">")) or len(text.splitlines()) > 1:
        return None
    return text


class _Unusual(Exception):
    """A key or value PyYAML lays out specially (complex keys, Unicode line breaks)."""


# The texts of the strings and keys met so far. A plain dict: its look-up is most of the
# emitter's time, and lru_cache's is several times slower. Emptied when full.
_STRINGS: dict[object, str] = {}  # a string's one-line text, "" when it needs a block
_KEYS: dict[str, str] = {}  # a string key's text with its colon
_KNOWN = 65536


K = TypeVar("K")
V = TypeVar("V")


def _kept(known: dict[K, V], key: K, value: V) -> V:
    """`value` kept under `key` in one of the emitter's tables, emptied when full."""
    if len(known) >= _KNOWN:
        known.clear()
    known[key] = value
    return value


def _string(value: object) -> str:
    text = _STRINGS.get(value)
    return text if text is not None else _kept(_STRINGS, value, _scalar_text(value) or "")


def _key(key: object) -> str:
    if type(key) is str:  # the common case, cached with its colon
        text = _KEYS.get(key)
        return text if text is not None else _kept(_KEYS, key, _checked_key(key) + ":")
    return _checked_key(key) + ":"


def _checked_key(key: object) -> str:
    text = _scalar(key, type(key))
    raw = str(key)
    # PyYAML's rule for simple keys: under 128 characters and no line break.
    if text is None or len(raw) >= 128 or len(f"{raw}x".splitlines()) > 1:
        raise _Unusual
    return text


def _order(mapping: Mapping[Any, object], rank: Mapping[str, int]) -> list[object]:
    try:
        keys: list[object] = sorted(mapping)
    except TypeError:  # keys of mixed types: order by their text
        return sorted(mapping, key=lambda k: (rank.get(str(k), len(rank)), str(k)))
    # Mixed or non-string keys order by their text (string keys are distinct as text).
    if not all(type(k) is str for k in keys):
        return sorted(mapping, key=lambda k: (rank.get(str(k), len(rank)), str(k)))
    first = [k for k in sorted(rank, key=rank.__getitem__) if k in mapping]
    return first + [k for k in keys if k not in rank] if first else keys


class _Ranking:
    """A key order (`rank`'s keys first, the rest sorted) and the orders it has given.

    Only all-string key sets are kept: 1, 1.0 and True are equal keys that write apart.
    """

    def __init__(self, rank: Mapping[str, int]) -> None:
        self.rank = rank
        self.seen: dict[tuple[object, ...], list[object]] = {}

    def keys(self, mapping: Mapping[Any, object]) -> list[object]:
        keys = tuple(mapping)
        known = self.seen.get(keys)
        if known is not None:
            return known
        ordered = _order(mapping, self.rank)
        return _kept(self.seen, keys, ordered) if all(type(k) is str for k in keys) else ordered


TOP = _Ranking(TOP_ORDER)
META = _Ranking(META_ORDER)
NESTED = _Ranking(NESTED_ORDER)


def _block(value: object, indent: str, lines: list[str], head: str) -> None:
    """Append `value` written after `head` (a key and colon, or a dash) at `indent`."""
    rendered = _pyyaml([value] if head.endswith("-") else {"k": value}).removesuffix("\n")
    first, *rest = rendered.split("\n")
    if rest and rest[-1] == "...":
        raise _Unusual  # `|+`: whether libyaml ends the document depends on what follows
    if any(len(f"{line}x".splitlines()) > 1 for line in (first, *rest)):
        raise _Unusual  # breaks at NEL or U+2028: PyYAML's own layout, unshifted
    marker = first[first.index("|"):] if "|" in first else first.split(" ", 1)[1]
    lines.append(f"{indent}{head} {marker}")
    lines.extend(indent + line if line else line for line in rest)


def _value(value: object, indent: str, lines: list[str], head: str,
           ranking: _Ranking) -> None:
    kind = type(value)
    if kind is str:  # most values: one look-up
        text = _STRINGS.get(value) or _string(value)
        if text:
            lines.append(f"{indent}{head} {text}")
        else:
            _block(value, indent, lines, head)
    elif kind is dict or (kind is not list and isinstance(value, Mapping)):
        if not value:
            lines.append(f"{indent}{head} {{}}")
            return
        lines.append(f"{indent}{head}")
        _mapping(value, indent + "  ", lines, ranking)  # type: ignore[arg-type]
    elif kind is list or kind is tuple:
        if not value:
            lines.append(f"{indent}{head} []")
            return
        lines.append(f"{indent}{head}")
        _sequence(value, indent, lines)  # type: ignore[arg-type]
    else:
        scalar = _scalar(value, kind)
        if scalar is None:
            _block(value, indent, lines, head)
        else:
            lines.append(f"{indent}{head} {scalar}")


def _mapping(value: Mapping[Any, object], indent: str, lines: list[str],
             ranking: _Ranking) -> None:
    for key in ranking.keys(value):
        _value(value[key], indent, lines, _key(key), META if key == "metadata" else NESTED)


def _sequence(items: list[object] | tuple[object, ...], indent: str, lines: list[str]) -> None:
    for item in items:
        kind = type(item)
        if item and (kind is dict or (kind is not list and isinstance(item, Mapping))):
            start = len(lines)
            _mapping(item, indent + "  ", lines, NESTED)  # type: ignore[arg-type]
            lines[start] = f"{indent}- {lines[start][len(indent) + 2:]}"
        elif item and (kind is list or kind is tuple):
            start = len(lines)
            _sequence(item, indent + "  ", lines)  # type: ignore[arg-type]
            lines[start] = f"{indent}- {lines[start][len(indent) + 2:]}"
        else:
            _value(item, indent, lines, "-", NESTED)


def _ordered(value: object, order: Mapping[str, int] = NESTED_ORDER) -> object:
    if isinstance(value, Mapping):
        return {k: _ordered(value[k], META_ORDER if k == "metadata" else NESTED_ORDER)
                for k in _order(value, order)}
    if isinstance(value, list | tuple):
        return [_ordered(item) for item in value]
    return value


class Tail:
    """The canonical YAML of an object's keys after apiVersion, kind and metadata.

    Every object stamped from one parsed document (replicas rendering the same text)
    shares those keys, so they are written once for all of them.
    """

    def __init__(self, body: Mapping[str, object], key: str = "") -> None:
        self.body = body
        self.key = key  # names the body's source (text and document), "" if unknown

    @cached_property
    def text(self) -> str | None:
        """None when the keys need PyYAML's own layout (see `canonical_yaml`)."""
        if not all(type(key) is str for key in self.body):
            return None
        lines: list[str] = []
        try:
            for key in sorted(k for k in self.body if k not in TOP_ORDER):
                _value(self.body[key], "", lines, _key(key), NESTED)
        except _Unusual:
            return None
        return "".join(line + "\n" for line in lines)


def canonical_yaml(body: Mapping[str, object], tail: Tail | None = None) -> str:
    """One object as canonical block YAML (no document marker).

    With `tail` (whose keys are exactly `body`'s besides apiVersion, kind and metadata),
    only those three are written here.
    """
    lines: list[str] = []
    try:
        if tail is not None and tail.text is not None and all(type(k) is str for k in body):
            for key in TOP_ORDER:
                if key in body:
                    _value(body[key], "", lines, _key(key), META if key == "metadata"
                           else NESTED)
            return "\n".join(lines) + "\n" + tail.text
        _mapping(body, "", lines, TOP)
    except _Unusual:
        return _pyyaml(_ordered(body, TOP_ORDER))
    return "\n".join(lines) + "\n"


class _FilterDumper(yaml.CSafeDumper):
    """PyYAML's layout, quoting as the canonical writer does (its output is read again)."""


def _filter_str(dumper: _FilterDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=_quoting(value))


_FilterDumper.add_representer(str, _filter_str)


def to_yaml(value: object) -> str:
    """`value` as block YAML with sorted keys: the templates' `to_yaml` filter."""
    text: str = yaml.dump(value, Dumper=_FilterDumper, default_flow_style=False,
                          sort_keys=True)
    return text.rstrip("\n")
