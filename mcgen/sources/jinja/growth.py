"""What a value would cost as text, found without building it; and the steps that grow values.

`limits.py` bounds the steps that pad or multiply text in one go. This module bounds the
rest, each before it runs: concatenation (`~`, `+`, a macro's or `{% set %}` block's
buffer), lists (`+`, `batch` with a fill value, `sum`, `list` of a long text), integers
(`*`, `**`), and every step that turns a value into text (`{{ }}`, `string`, `tojson`,
`to_yaml`, `%`, `format`, `urlencode`, `escape`): a value made of shared parts
(`[a, a]` forty times over) costs nothing to hold but 2**40 times its leaves to print.

The same walk refuses an undefined value inside a list or a dict (`[missing]` would
print `[Undefined]`), and gives sets a deterministic order (a set's iteration order
depends on the hash seed, so `values.keys() - ['x']` would render differently per run).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Set
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

MAX_TEXT = 16 * 1024 * 1024  # characters: far beyond any real manifest
MAX_ITEMS = 1_000_000  # the longest list a template may build
MAX_INT_BITS = 1_000_000  # about 300,000 digits; Python prints at most 4,300


def refuse_past(size: int, what: str) -> None:
    if size > MAX_TEXT:
        raise SecurityError(f"{what} would build {size:,} characters, more than the "
                            f"{MAX_TEXT:,} a template may")


class SortedSet(frozenset[Any]):
    """A set that iterates and prints in sorted order, whatever the hash seed. The
    sandbox makes every set a template gets (`-` on dict keys, a set method's result)
    one of these."""

    def __iter__(self) -> Iterator[Any]:
        return iter(sorted(frozenset.__iter__(self), key=_order))

    def __repr__(self) -> str:
        return "{" + ", ".join(repr(item) for item in self) + "}" if self else "set()"

    __str__ = __repr__


def _order(item: object) -> tuple[str, object]:
    same_type = isinstance(item, str | int | float)
    return type(item).__name__, item if same_type else repr(item)


def ordered(value: object) -> object:
    """`value`, but a set or frozenset becomes a SortedSet."""
    if isinstance(value, set | frozenset) and not isinstance(value, SortedSet):
        return SortedSet(value)
    return value


def _leaf_size(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() * 3 // 10 + 2
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises the undefined error here
        raise jinja2.UndefinedError("an undefined value cannot become text")
    return 32  # a float, or an object whose text is short (checked by _printable)


def _children(value: object) -> Iterable[object] | None:
    if isinstance(value, str | bytes):
        return None
    if isinstance(value, Mapping):
        return [part for pair in value.items() for part in pair]
    if isinstance(value, list | tuple | Set) or type(value).__name__ in (
            "dict_keys", "dict_values", "dict_items"):
        return value  # type: ignore[return-value]
    return None


def text_size(value: object, limit: int = MAX_TEXT, what: str = "printing this value") -> int:
    """An upper bound of the characters `value` takes as text (str, JSON or YAML),
    walked without building it; refused past `limit`. Shared parts count each time
    they would be printed, and each item counts its indentation in YAML."""
    total = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = _children(item)
        if children is None:
            total += _leaf_size(item) + 2 * depth
        else:
            total += 2
            for child in children:
                total += 4
                stack.append((child, depth + 1))
        if total > limit:
            refuse_past(total, what)
    return total


def text_of(value: object, what: str) -> str:
    """str(value), sized first."""
    if not isinstance(value, str):
        text_size(value, what=what)
    return str(value)


class TextBuffer(list[str]):
    """The buffer a macro, a `{% set %}...{% endset %}` block, a `{% filter %}` or a
    `{% call %}` block writes its text into, refused as soon as it passes MAX_TEXT
    (a loop in a macro would otherwise fill memory before the macro returns)."""

    size = 0

    def append(self, text: str) -> None:
        self.size += len(text)
        refuse_past(self.size, "the text of this block or macro")
        super().append(text)

    def extend(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.append(text)


def concat(parts: Iterable[object]) -> str:
    """`a ~ b ~ c`, each part sized before any is turned into text."""
    items = list(parts)
    size = sum(len(p) if isinstance(p, str) else text_size(p, what="`~`") for p in items)
    refuse_past(size, "`~`")
    return "".join(map(str, items))


def _length(value: object) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def check_plus(left: object, right: object) -> None:
    """`a + b` on texts or lists: the result's length, before it is built."""
    sizes = _length(left), _length(right)
    if sizes[0] is None or sizes[1] is None:
        return
    if isinstance(left, str):
        refuse_past(sizes[0] + sizes[1], "`+`")
    elif sizes[0] + sizes[1] > MAX_ITEMS:
        raise SecurityError(f"`+` would build a list of {sizes[0] + sizes[1]:,} items, more "
                            f"than the {MAX_ITEMS:,} a template may")


def _bits(value: object) -> int:
    return abs(value).bit_length() if isinstance(value, int) else 0


def check_integer(operator: str, left: object, right: object) -> None:
    """`a * b` and `a ** b` on integers: the result's size in bits, before it is built."""
    if not isinstance(left, int) or not isinstance(right, int):
        return
    bits = _bits(left) + _bits(right) if operator == "*" else _bits(left) * max(right, 0)
    if bits > MAX_INT_BITS:
        raise SecurityError(f"`{operator}` would build an integer of {bits:,} bits, more than "
                            f"the {MAX_INT_BITS:,} a template may")


def fan_out(template: str, arguments: object, what: str) -> None:
    """`'%s%s' % (a, a)`, `'{0}{0}'.format(a)`: each placeholder may print the largest
    argument once; refuse the step if that could pass MAX_TEXT (or hides an undefined)."""
    if isinstance(arguments, tuple):
        sizes = [text_size(a, what=what) for a in arguments]
    elif isinstance(arguments, Mapping):
        sizes = [text_size(a, what=what) for a in arguments.values()]
    else:
        sizes = [text_size(arguments, what=what)]
    placeholders = template.count("%") + template.count("{")
    refuse_past(len(template) + placeholders * max(sizes, default=0), what)


def check_result(value: str | list[object], what: str) -> None:
    """A text or list a function returned: no larger than a template may build."""
    if isinstance(value, str):
        refuse_past(len(value), what)
    elif len(value) > MAX_ITEMS:
        raise SecurityError(f"{what} made a list of {len(value):,} items, more than the "
                            f"{MAX_ITEMS:,} a template may")


def bounded_list(values: Iterable[object], what: str) -> list[object]:
    """`list(values)`, refused once it passes MAX_ITEMS items."""
    if isinstance(values, str) and len(values) > MAX_ITEMS:
        raise SecurityError(f"{what} would make a list of {len(values):,} characters")
    items: list[object] = []
    for item in values:
        items.append(item)
        if len(items) > MAX_ITEMS:
            raise SecurityError(f"{what} would make a list of more than {MAX_ITEMS:,} items")
    return items


def escaped_size(text: str) -> int:
    """The length of `text` HTML-escaped (`&` -> `&amp;`, quotes -> `&#34;`...)."""
    grows = {"&": 4, "<": 3, ">": 3, '"': 4, "'": 4}
    return len(text) + sum(text.count(char) * extra for char, extra in grows.items())
