"""`-ignore-filename-pattern` regexes, matched in linear time as Go's regexp matches them.

Go's regexp is RE2 (no backtracking); Python's `re` backtracks, so a pattern such as
`(a+)+$` would take exponential time on a long path. google-re2 gives Go's guarantees.
"""

from __future__ import annotations

from collections.abc import Callable

import re2

Matcher = Callable[[str], bool]


def compile_patterns(patterns: list[str]) -> list[Matcher] | str:
    """A matcher per pattern, or the first pattern's compile error as kubeconform words it."""
    options = re2.Options()
    options.log_errors = False
    matchers: list[Matcher] = []
    for pattern in patterns:
        try:
            compiled = re2.compile(pattern, options)
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
            return f"error parsing regexp: {reason}: `{pattern}`"
        matchers.append(_matcher(compiled))
    return matchers


def _matcher(compiled: re2._Regexp) -> Matcher:
    def match(path: str) -> bool:
        return compiled.search(path) is not None
    return match
