""""Did you mean": the nearest valid name to one a person typed."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `name`, if one is close enough to be a likely typo."""
    found = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the nearest candidate, or "" when none is near."""
    best = nearest(name, candidates)
    return f" (did you mean {best!r}?)" if best is not None and best != name else ""
