"""Every filter a template may call, sized before it runs and checked after.

Before: a filter that turns its input into text walks it first (`growth.text_size`),
so an undefined value inside a list never prints as `[Undefined]` and a value made of
shared parts is refused before it is printed; filters that grow a value (`batch` with a
fill value, `sum` of lists, `urlencode`, `escape`, `xmlattr`, `urlize`) are sized from
their arguments. After: no filter may hand back a text past MAX_TEXT or a list past
MAX_ITEMS, so no chain of steps can compound (`escape`, then `~ ''`, then `escape`...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2.exceptions import SecurityError

from mcgen.sources.jinja.growth import (
    MAX_ITEMS,
    bounded_list,
    escaped_size,
    fan_out,
    refuse_past,
    text_of,
    text_size,
)

Filter = Callable[..., Any]

# Filters that print their input (str(value)) whatever it is.
TEXT_FILTERS = frozenset({
    "capitalize", "center", "e", "escape", "forceescape", "indent", "lower", "pprint",
    "replace", "safe", "string", "striptags", "title", "tojson", "trim", "truncate", "upper",
    "wordcount", "wordwrap", "to_yaml", "to_json", "b64encode", "sha256", "int", "float",
})
# Filters that make a list of every item of their input.
LIST_FILTERS = frozenset({"list", "sort", "unique", "reverse", "batch", "slice", "join",
                          "dictsort", "groupby", "map", "select", "reject", "selectattr",
                          "rejectattr", "sum", "min", "max"})


def _before_text(name: str, value: object) -> None:
    text_size(value, what=f"the {name} filter")


def _urlencode(value: object) -> None:
    if isinstance(value, str):
        refuse_past(len(value.encode("utf-8", "surrogatepass")) * 3, "the urlencode filter")
    else:
        refuse_past(text_size(value, what="the urlencode filter") * 12, "the urlencode filter")


def _escaping(name: str, value: object) -> None:
    text = text_of(value, f"the {name} filter")
    refuse_past(escaped_size(text), f"the {name} filter")


def _xmlattr(value: object) -> None:
    refuse_past(text_size(value, what="the xmlattr filter") * 6, "the xmlattr filter")


def _urlize(value: object, *args: Any, **kwargs: Any) -> None:
    text = text_of(value, "the urlize filter")
    extra = sum(len(text_of(v, "the urlize filter")) for v in (*args, *kwargs.values()))
    # Each link of two characters or more becomes <a href="…" rel="…" target="…">…</a>.
    refuse_past(len(text) * (20 + extra), "the urlize filter")


def _batch(value: object, linecount: object = 1, fill_with: object = None,
           *_: Any, **kwargs: Any) -> None:
    fill = kwargs.get("fill_with", fill_with)
    count = kwargs.get("linecount", linecount)
    if fill is not None and isinstance(count, int) and count > MAX_ITEMS:
        raise SecurityError(f"the batch filter would fill rows of {count:,} items")


def _slice(value: object, slices: object = 1, *_: Any, **kwargs: Any) -> None:
    count = kwargs.get("slices", slices)
    if isinstance(count, int) and count > MAX_ITEMS:
        raise SecurityError(f"the slice filter would make {count:,} lists")


def _format(value: object, *args: Any, **kwargs: Any) -> None:
    fan_out(text_of(value, "the format filter"), kwargs or args, "the format filter")


BEFORE: dict[str, Callable[..., None]] = {
    "urlencode": lambda value, *_, **__: _urlencode(value),
    "xmlattr": lambda value, *_, **__: _xmlattr(value),
    "urlize": _urlize, "batch": _batch, "slice": _slice, "format": _format,
}


def _sized_input(name: str, value: object) -> object:
    """The filter's input, checked; an iterable is materialised (bounded) once."""
    if name in ("e", "escape", "forceescape"):
        _escaping(name, value)
    elif name in TEXT_FILTERS and not isinstance(value, str | int | float):
        _before_text(name, value)
    if name in LIST_FILTERS and not isinstance(value, str | list | tuple | Mapping):
        return bounded_list(value, f"the {name} filter")  # type: ignore[arg-type]
    if name in LIST_FILTERS and isinstance(value, str) and len(value) > MAX_ITEMS:
        return bounded_list(value, f"the {name} filter")
    return value


def _after(name: str, result: object) -> object:
    if isinstance(result, str):
        refuse_past(len(result), f"the {name} filter")
    elif isinstance(result, list) and len(result) > MAX_ITEMS:
        raise SecurityError(f"the {name} filter made a list of {len(result):,} items")
    return result


def _sum_size(values: Iterable[object], start: object) -> None:
    """`sum` of lists or tuples concatenates them: count the items first."""
    if isinstance(start, list | tuple):
        total = len(start) + sum(len(v) for v in values if isinstance(v, list | tuple))
        if total > MAX_ITEMS:
            raise SecurityError(f"the sum filter would build a list of {total:,} items")


def guard(name: str, original: Filter) -> Filter:
    """`original`, with its input sized before and its result checked after."""
    skip = 1 if hasattr(original, "jinja_pass_arg") else 0  # context/environment first
    before = BEFORE.get(name)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        if len(args) <= skip:
            return original(*args, **kwargs)
        value = _sized_input(name, args[skip])
        if before is not None:
            before(value, *args[skip + 1:], **kwargs)
        if name == "sum" and isinstance(value, list):
            _sum_size(value, kwargs.get("start", args[skip + 2] if len(args) > skip + 2 else 0))
        return _after(name, original(*args[:skip], value, *args[skip + 1:], **kwargs))

    if skip:
        guarded.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded


def guarded_filters(filters: Mapping[str, Filter]) -> dict[str, Filter]:
    """Every filter, guarded."""
    return {name: guard(name, original) for name, original in filters.items()}
