"""Plain YAML read through libyaml, or declined.

`source` reads human-edited YAML with ruamel.yaml in pure Python: 0.6 s for a fleet spec
of a thousand clusters. libyaml's C parser reads the same text in about 10 ms. `read` builds
from libyaml's events exactly the values and positions that `source`'s ruamel path gives,
resolving plain scalars by the YAML 1.2 core schema as ruamel's round-trip loader does.

Wherever the two could disagree it returns None, and the caller reads the text with ruamel,
so that error messages and limits stay ruamel's: any tag, anchor or alias; a `%YAML` or
`%TAG` directive; a document end marker (`...`); a merge key (`<<`); a key that is not a
string, or is given twice; a timestamp with a time of day; a value ruamel fails to build; a
tab, a Unicode line break or a byte order mark inside the text; any parse error; a text
deeper or bigger than the caller's limits.

Events rather than `yaml.compose`: composed nodes do not say whether they had an anchor,
and ruamel builds an anchored value differently (`a: &x true` comes back as `1`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import NamedTuple

import yaml

from mcgen.location import Location

# What reads a text: a new PyYAML may read it otherwise (`mcgen.fleet.parsed` keys on it).
READER = f"PyYAML {yaml.__version__} {getattr(yaml, '__with_libyaml__', False)}"
_Path = tuple[str | int, ...]
Positions = dict[_Path, Location]


class PlainDocument(NamedTuple):
    """One document's plain value and the position of every path inside it."""

    value: object
    positions: Positions


class _Declined(Exception):
    """The text uses something that only ruamel is sure to read as `source` expects."""


def read(text: str, path: str, max_depth: int, max_nodes: int) -> list[PlainDocument] | None:
    """Every document of `text` whose value is not null, or None to leave it to ruamel.

    None also when a path would be `max_depth` long or a document has more than
    `max_nodes` values: ruamel's path then reports them as it always has.
    """
    if _UNSURE_CHARACTERS.search(text, 1 if text.startswith("\ufeff") else 0):
        return None
    builder = _Builder(text, path, max_depth, max_nodes)
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            builder.take(event)
    except (_Declined, yaml.YAMLError, UnicodeEncodeError):  # a lone surrogate: not UTF-8
        return None
    return builder.documents


# ruamel refuses some tabs libyaml takes as white space (`a: b<TAB>`), and libyaml, a YAML
# 1.1 parser, counts NEL, LS and PS as line breaks where ruamel does not, and skips a byte
# order mark inside the text, which ruamel reads as text: found by tests/sourceyaml.
_UNSURE_CHARACTERS = re.compile("[\t\x85\u2028\u2029\ufeff]")
_BLOCK_STYLES = ("|", ">")
_BLOCK_HEADER = re.compile(r"[|>][-+1-9]*(?:[ \n\r]|\Z)")


class _Open:
    """A mapping or sequence being filled, and for a mapping the key awaiting its value."""

    __slots__ = ("at", "items", "key")

    def __init__(self, at: _Path, items: dict[str, object] | list[object]) -> None:
        self.at = at
        self.items = items
        self.key: str | None = None

    def awaits_key(self) -> bool:
        return self.key is None and isinstance(self.items, dict)


class _Builder:
    def __init__(self, text: str, path: str, max_depth: int, max_nodes: int) -> None:
        self.text = text
        self.path = path
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.documents: list[PlainDocument] = []
        self.open: list[_Open] = []
        self.positions: Positions = {}
        self.root: object = None

    def take(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.scalar(event)
        elif isinstance(event, yaml.MappingStartEvent):
            self.start(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            self.start(event, [])
        elif isinstance(event, yaml.CollectionEndEvent):
            self.open.pop()
        elif isinstance(event, yaml.DocumentStartEvent):
            self.begin(event)
        elif isinstance(event, yaml.DocumentEndEvent):
            self.end(event)
        elif isinstance(event, yaml.AliasEvent):
            raise _Declined

    def begin(self, event: yaml.DocumentStartEvent) -> None:
        if event.version or event.tags:
            raise _Declined
        self.positions = {(): Location(self.path, 1, 1)}
        self.root = None

    def end(self, event: yaml.DocumentEndEvent) -> None:
        if event.explicit or len(self.positions) > self.max_nodes:
            raise _Declined  # ruamel refuses `...` where libyaml does not, as in `...\n...`
        if self.root is not None:  # ruamel's path skips null documents too
            self.documents.append(PlainDocument(self.root, self.positions))

    def scalar(self, event: yaml.ScalarEvent) -> None:
        if event.anchor is not None or event.tag is not None:
            raise _Declined
        if event.style in _BLOCK_STYLES:
            self.check_block_header(event)
        plain = event.implicit[0]  # plain style, no tag: resolved by the schema
        top = self.open[-1] if self.open else None
        if top is not None and top.awaits_key():
            self.key(top, _plain_key(event.value) if plain else event.value, event)
        else:
            self.add(_plain_value(event.value) if plain else event.value, event)

    def check_block_header(self, event: yaml.ScalarEvent) -> None:
        """libyaml takes `|# comment`; ruamel wants white space before the `#`, as YAML does."""
        assert event.start_mark is not None
        if not _BLOCK_HEADER.match(self.text, event.start_mark.index):
            raise _Declined

    def start(self, event: yaml.CollectionStartEvent, items: dict[str, object] | list[object]
              ) -> None:
        if event.anchor is not None or event.tag is not None:
            raise _Declined
        if self.open and self.open[-1].awaits_key():
            raise _Declined  # a mapping or sequence as a key
        at = self.add(items, event)
        if len(at) >= self.max_depth:
            raise _Declined
        self.open.append(_Open(at, items))

    def key(self, top: _Open, name: str, event: yaml.NodeEvent) -> None:
        assert isinstance(top.items, dict)
        if name in top.items:
            raise _Declined  # ruamel's duplicate-key message names both places
        top.key = name
        self.positions[(*top.at, name)] = self.location(event)

    def add(self, value: object, event: yaml.NodeEvent) -> _Path:
        """Put `value` where the event stands; its path."""
        if not self.open:
            self.root = value
            return ()
        top = self.open[-1]
        if isinstance(top.items, list):
            at: _Path = (*top.at, len(top.items))
            self.positions[at] = self.location(event)
            top.items.append(value)
            return at
        key, top.key = top.key, None
        assert key is not None
        top.items[key] = value
        return (*top.at, key)

    def location(self, event: yaml.NodeEvent) -> Location:
        mark = event.start_mark
        assert mark is not None
        return Location.from_zero_based(self.path, mark.line, mark.column)


def _plain_value(text: str) -> object:
    """A plain scalar as ruamel's YAML 1.2 round-trip loader builds it, made JSON-like
    the way `source` does (dates as ISO text)."""
    for build, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            try:
                return build(text)
            except ValueError as exc:  # ruamel fails on it too: let it say so
                raise _Declined from exc
    return text


def _plain_key(text: str) -> str:
    for _, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            raise _Declined  # ruamel's key would be a bool, number, date or null
    return text


def core_kind(text: str) -> str | None:
    """The kind ruamel's YAML 1.2 resolver gives plain `text` (`bool`, `int`, `float`,
    `null`, `timestamp`, `declined` for `<<`, `=` and indicators), None for a string."""
    for build, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            return build.__name__.strip("_")
    return None


def _bool(text: str) -> object:
    return text.lower() == "true"


def _null(text: str) -> object:
    return None


def _float(text: str) -> object:
    digits = text.replace("_", "").lower()
    sign = -1 if digits[0] == "-" else 1
    digits = digits[1:] if digits[0] in "+-" else digits
    if digits == ".inf":
        return sign * float("inf")
    if digits == ".nan":
        return float("nan")
    return sign * float(digits)


def _int(text: str) -> object:
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    digits = digits[1:] if digits[0] in "+-" else digits
    base = {"0b": 2, "0x": 16, "0o": 8}.get(digits[:2], 10)
    # In YAML 1.2 a leading zero is not octal: ruamel reads `017` as 17.
    return sign * int(digits[2:] if base != 10 else digits, base)


def _timestamp(text: str) -> object:
    if not _DATE.match(text):
        raise ValueError("a time of day: ruamel's timestamps are not copied here")
    return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:])).isoformat()


def _declined(text: str) -> object:
    raise ValueError(f"{text!r} is a merge key or a special tag: left to ruamel")


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

# ruamel.yaml's resolver.py `implicit_resolvers` for (1, 2), in its order, with the same
# regular expressions and first characters.
_TABLE: list[tuple[Callable[[str], object], str, list[str]]] = [
    (_bool, "^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_float, r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", list("-+0123456789.")),
    (_int, r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", list("-+0123456789")),
    (_declined, "^(?:<<)$", list("<")),
    (_null, r"""^(?: ~
        |null|Null|NULL
        | )$""", ["~", "n", "N", ""]),
    (_timestamp, r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", list("0123456789")),
    (_declined, "^(?:=)$", list("=")),
    (_declined, r"^(?:!|&|\*)$", list("!&*")),
]


def _resolvers() -> dict[str, list[tuple[Callable[[str], object], re.Pattern[str]]]]:
    table: dict[str, list[tuple[Callable[[str], object], re.Pattern[str]]]] = {}
    for build, pattern, first in _TABLE:
        compiled = re.compile(pattern, re.X)
        for char in first:
            table.setdefault(char, []).append((build, compiled))
    return table


_RESOLVERS = _resolvers()
