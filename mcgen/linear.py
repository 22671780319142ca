"""Linear-time regular expressions (RE2, as Go's regexp): the one module importing re2.

Used where a pattern comes from the user (kubeconform's `-ignore-filename-pattern`: no
backtracking, so no pattern can take exponential time) and where a pattern is searched
on every manifest mcgen reads (`mcgen.yaml.manifests`: a DFA, ~100x Python's `re` on
its long alternation).
"""

from __future__ import annotations

from collections.abc import Callable

import re2

Search = Callable[[str], bool]


class PatternError(ValueError):
    """A pattern RE2 refuses, with RE2's reason."""


def compile_search(pattern: str) -> Search:
    """Whether `pattern` occurs in a text; PatternError if RE2 refuses it."""
    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise PatternError(str(reason)) from exc

    def search(text: str) -> bool:
        return compiled.search(text) is not None
    return search
