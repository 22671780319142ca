"""Bounds on the text a template may build, checked before it is built.

Templates come from pull requests and render in CI. A few bytes of Jinja can ask for
gigabytes in one step (`'x'.ljust(10**10)`, `'%1000000000s' % x`, a `join` or `replace`
that multiplies, `slice(10**9)`) or in many small ones (a loop printing a megabyte
100,000 times). Each such step is sized from its arguments first and refused past
MAX_TEXT; the rendered output as a whole is capped at the same size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any, cast

from jinja2 import Template
from jinja2.exceptions import SecurityError

MAX_TEXT = 16 * 1024 * 1024  # characters: far beyond any real manifest

# A width or precision of 8+ digits, or one taken from an argument (`*`, `{:{w}}`).
_WIDE_PERCENT = re.compile(r"%[-#0 +]*(\d{8,}|\*|\d*\.(\d{8,}|\*))")
_WIDE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(\d{8,}|\{)")


def refuse_past(size: int, what: str) -> None:
    if size > MAX_TEXT:
        raise SecurityError(f"{what} would build {size:,} characters, more than the "
                            f"{MAX_TEXT:,} a template may")


def check_percent(template: str) -> None:
    """`'%1000000000s' % x` pads to a gigabyte."""
    if _WIDE_PERCENT.search(template):
        raise SecurityError("a %-format width or precision that large, or taken from an "
                            "argument, is not allowed in templates")


def check_format(template: str) -> None:
    """`'{:>1000000000}'.format(x)` pads to a gigabyte."""
    if _WIDE_FORMAT.search(template):
        raise SecurityError("a format width or precision that large, or taken from an "
                            "argument, is not allowed in templates")


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _replaced_size(text: str, old: object, new: object) -> int:
    old_len, new_len = len(str(old)), len(str(new))
    return len(text) + (len(text) // max(old_len, 1) + 1) * new_len


def _joined_size(separator: str, items: list[Any]) -> int:
    return sum(len(str(item)) for item in items) + len(separator) * max(len(items) - 1, 0)


def check_method(obj: object, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Size a str method call on `obj` before it runs; returns the (materialised) args."""
    if not isinstance(obj, str) or not args:
        return args
    if name in ("center", "ljust", "rjust", "zfill"):
        refuse_past(_int(args[0]), f"str.{name}")
    elif name == "expandtabs":
        refuse_past(len(obj) * _int(args[0]), "str.expandtabs")
    elif name == "replace" and len(args) >= 2:
        refuse_past(_replaced_size(obj, args[0], args[1]), "str.replace")
    elif name == "join":
        items = list(args[0])
        refuse_past(_joined_size(obj, items), "str.join")
        return (items, *args[1:])
    elif name in ("format", "format_map"):
        check_format(obj)
    return args


def _center(value: object, width: object = 80, *_: Any, **__: Any) -> object:
    refuse_past(_int(width), "the center filter")
    return value


def _indent(value: object, width: object = 4, *_: Any, **__: Any) -> object:
    step = len(width) if isinstance(width, str) else _int(width)
    refuse_past(len(str(value)) + (str(value).count("\n") + 1) * step, "the indent filter")
    return value


def _replace(value: object, old: object = "", new: object = "", *_: Any,
             **__: Any) -> object:
    refuse_past(_replaced_size(str(value), old, new), "the replace filter")
    return value


def _join(value: Iterable[Any], d: object = "", *_: Any, **__: Any) -> object:
    items = list(value)
    refuse_past(_joined_size(str(d), items), "the join filter")
    return items


def _wordwrap(value: object, width: object = 79, *args: Any, **kwargs: Any) -> object:
    wrap = kwargs.get("wrapstring", args[1] if len(args) > 1 else None) or "\n"
    refuse_past(len(str(value)) * (len(str(wrap)) + 1), "the wordwrap filter")
    return value


def _slice(value: object, slices: object = 1, *_: Any, **__: Any) -> object:
    refuse_past(_int(slices), "the slice filter")
    return value


def _format(value: object, *_: Any, **__: Any) -> object:
    check_percent(str(value))
    return value


SIZERS: dict[str, Callable[..., object]] = {
    "center": _center, "indent": _indent, "replace": _replace, "join": _join,
    "wordwrap": _wordwrap, "slice": _slice, "format": _format,
}


def _guarded(original: Callable[..., Any], sizer: Callable[..., object]) -> Callable[..., Any]:
    """`original`, after `sizer` has checked (and perhaps materialised) its input."""
    skip = 1 if hasattr(original, "jinja_pass_arg") else 0  # context/environment first

    def guarded(*args: Any, **kwargs: Any) -> Any:
        value = sizer(*args[skip:], **kwargs)
        return original(*args[:skip], value, *args[skip + 1:], **kwargs)

    if skip:
        guarded.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded


def bounded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Guarded versions of the built-in filters that can multiply their input."""
    return {name: _guarded(filters[name], sizer) for name, sizer in SIZERS.items()}


def bounded_output(template: Template, context: Mapping[str, object]) -> str:
    """The rendered text, refused as soon as it passes MAX_TEXT (a loop printing a lot)."""
    chunks = cast(Generator[str, None, None], template.generate(context))
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_TEXT:
            error = SecurityError(f"the output would pass {MAX_TEXT:,} characters")
            error.lineno = _line_reached(chunks, template)  # type: ignore[attr-defined]
            chunks.close()
            raise error
        kept.append(chunk)
    return "".join(kept)


def _line_reached(chunks: Generator[str, None, None], template: Template) -> int:
    """The template line a suspended render stands at (its innermost frame of `template`)."""
    line = 1
    generator: Any = chunks
    while generator is not None:
        frame = getattr(generator, "gi_frame", None)
        if frame is not None and frame.f_code.co_filename == template.filename:
            line = template.get_corresponding_lineno(frame.f_lineno)
        generator = getattr(generator, "gi_yieldfrom", None)
    return line
