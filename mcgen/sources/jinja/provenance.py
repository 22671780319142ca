"""Which template line produced a rendered line.

Jinja2 keeps no map from output lines to source lines, so this aligns the two texts: a
template line's literal text (everything before its first tag) must begin the rendered
line. The walk is monotonic, restarting from the top for loops, which is exact for the
straight-line templates manifests mostly are and close for loops and conditionals.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TAG = re.compile(r"\{[{%#]")
_BLOCK_ONLY = re.compile(r"^\s*(\{%.*?%\}|\{#.*?#\})\s*$")


@lru_cache(maxsize=256)
def _patterns(template_source: str) -> tuple[tuple[int, str, bool], ...]:
    """(template line, literal prefix, is exact) for each line that can produce output."""
    found = []
    for number, line in enumerate(template_source.splitlines(), start=1):
        if _BLOCK_ONLY.match(line) or not line.strip():
            continue
        tag = _TAG.search(line)
        prefix = line if tag is None else line[: tag.start()]
        found.append((number, prefix.rstrip() if tag is None else prefix, tag is None))
    return tuple(found)


@lru_cache(maxsize=256)
def line_map(template_source: str, rendered_text: str) -> tuple[int, ...]:
    """For each rendered line (0-based index), the 1-based template line that produced it."""
    patterns = _patterns(template_source)
    result: list[int] = []
    cursor = 0
    last = 1
    for line in rendered_text.splitlines():
        found = _match(patterns, line, cursor, len(patterns))
        if found is None:
            found = _match(patterns, line, 0, cursor)
        if found is not None:
            last = patterns[found][0]
            cursor = found + 1
        result.append(last)
    return tuple(result)


def _match(patterns: tuple[tuple[int, str, bool], ...], line: str, start: int, stop: int
           ) -> int | None:
    stripped = line.rstrip()
    for index in range(start, stop):
        _, prefix, exact = patterns[index]
        if (stripped == prefix) if exact else (prefix.strip() and line.startswith(prefix)):
            return index
    # A line that is all expression (`{{ x | to_yaml }}`) matches by indentation alone.
    for index in range(start, stop):
        _, prefix, exact = patterns[index]
        if not exact and not prefix.strip() and line.startswith(prefix):
            return index
    return None


def template_line(template_source: str, rendered_text: str, rendered_line: int) -> int:
    """The template line behind 1-based `rendered_line` of `rendered_text`."""
    mapping = line_map(template_source, rendered_text)
    if not mapping:
        return 1
    return mapping[min(max(rendered_line, 1), len(mapping)) - 1]
