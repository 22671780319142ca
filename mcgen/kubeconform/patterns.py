"""`-ignore-filename-pattern` regexes, matched in linear time as Go's regexp matches them.

Go's regexp is RE2 (no backtracking); Python's `re` backtracks, so a pattern such as
`(a+)+$` would take exponential time on a long path. google-re2 gives Go's guarantees.
"""

from __future__ import annotations

from collections.abc import Callable

from mcgen.linear import PatternError, compile_search

Matcher = Callable[[str], bool]


def compile_patterns(patterns: list[str]) -> list[Matcher] | str:
    """A matcher per pattern, or the first pattern's compile error as kubeconform words it."""
    matchers: list[Matcher] = []
    for pattern in patterns:
        try:
            matchers.append(compile_search(pattern))
        except PatternError as exc:
            return f"error parsing regexp: {exc}: `{pattern}`"
    return matchers
