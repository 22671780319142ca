"""Undefined values a person can act on: which name, on which pair, and what is there.

Jinja's own message (`'dict object' has no attribute 'replica'`) names neither the path,
the cluster nor the component. Templates run with `FleetUndefined`, whose error keeps the
container it was looked up in and the missing name; `explain` turns that into the path
(`values.replica`), the keys that do exist there (with the nearest one), and, when some
clusters of the component have the key and others do not, which clusters lack it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, NamedTuple

import jinja2
from jinja2.utils import missing

from mcgen.collapse import clusters_text
from mcgen.suggest import did_you_mean

SHOWN_KEYS = 8  # existing keys spelled out before "and N more"
MAX_DEPTH = 6  # how deep the context is searched for the container of a missing name
# How many values the search visits at most: a mapping the template built itself is in
# no context, and a fleet view of 10,000 clusters must not be walked on every pair.
MAX_VISITED = 5_000


class MissingValue(jinja2.UndefinedError):
    """A name looked up and not found, with where it was looked up."""

    def __init__(self, message: str | None, container: object, name: str | None) -> None:
        super().__init__(message)
        self.container = container
        self.name = name


class FleetUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error says where the name was looked for."""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None,
                 exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError) -> None:
        super().__init__(hint, obj, name, self._missing if exc is jinja2.UndefinedError
                         else exc)  # type: ignore[arg-type]

    def _missing(self, message: str | None = None) -> MissingValue:
        return MissingValue(message, self._undefined_obj, self._undefined_name)


class Lookup(NamedTuple):
    """A missing name: the path of its container in the context, and the name."""

    parent: tuple[str, ...]  # () for a top-level name (`valuse`)
    name: str

    @property
    def dotted(self) -> str:
        return ".".join((*self.parent, self.name))


# The clusters of a component where the lookup succeeds, and where it does not.
Presence = Callable[[Lookup], tuple[Sequence[str], Sequence[str]]]


def lookup_of(exc: MissingValue, context: Mapping[str, object]) -> Lookup | None:
    """Where in `context` the missing name was looked for, if it can be told."""
    if exc.name is None:
        return None
    if exc.container is missing:
        return Lookup((), exc.name)
    for path, value in islice(_walk(context, ()), MAX_VISITED):
        if value is exc.container:
            return Lookup(path, exc.name)
    return None


def _walk(value: object, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], object]]:
    if path:
        yield path, value
    if len(path) >= MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, f"[{index}]"))


def resolve(context: Mapping[str, object], path: Sequence[str]) -> tuple[bool, object]:
    """Whether `path` exists in `context`, and its value."""
    value: object = context
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.startswith("[") and part[1:-1].isdigit() and (
                int(part[1:-1]) < len(value)):
            value = value[int(part[1:-1])]
        else:
            return False, None
    return True, value


def explain(lookup: Lookup, context: Mapping[str, object], presence: Presence | None) -> str:
    """`values.replica` on the pair, what its container holds, and which clusters lack it."""
    pair = pair_text(context)
    where = ".".join(lookup.parent) if lookup.parent else "the context"
    _, container = resolve(context, lookup.parent)
    text = (f"undefined in template: `{lookup.dotted}`{pair}; "
            f"{_holds(where, container, lookup.name)}")
    if presence is not None:
        have, lack = presence(lookup)
        if have and lack:
            text += (f"; it is set on {clusters_text(list(have))} and missing on "
                     f"{clusters_text(list(lack))}")
    return text


def pair_text(context: Mapping[str, object]) -> str:
    """` on cluster 'x' (component 'y')`, or "" outside a pair's context."""
    cluster, component = context.get("cluster"), context.get("component")
    if not isinstance(cluster, dict) or not isinstance(component, dict):
        return ""
    return f" on cluster {cluster.get('name')!r} (component {component.get('name')!r})"


def _holds(where: str, container: object, name: str) -> str:
    if not isinstance(container, dict):
        return f"{where} is {_kind(container)}, not a mapping with key {name!r}"
    keys = sorted(str(key) for key in container)
    if not keys:
        return f"{where} is empty"
    shown = ", ".join(keys[:SHOWN_KEYS])
    more = f" and {len(keys) - SHOWN_KEYS} more" if len(keys) > SHOWN_KEYS else ""
    return f"{where} has {shown}{more}{did_you_mean(name, keys)}"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a value"
