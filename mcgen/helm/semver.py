"""A chart's `kubeVersion` constraint, checked as `helm template` checks it.

Helm's engine renders a chart whatever its `kubeVersion` says (ingress-nginx, which
requires `>=1.21.0-0`, renders for 1.20); the check lives in Helm's install action, which
mcgen does not run. The grammar is that of Masterminds/semver, which Helm uses: `||`
between alternatives, `,` or spaces between conditions that must all hold, operators
`= != > < >= <= ~ ^` (and `=>`, `=<`, `~>`), `x`/`*` wildcards and `a - b` ranges.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_VERSION = re.compile(
    r"^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_CONDITION = re.compile(r"^(!=|>=|=>|<=|=<|~>|[=<>~^])?\s*(\S+)$")
_WILD = ("x", "X", "*")


class Version(NamedTuple):
    major: int
    minor: int
    patch: int
    pre: str  # "" for a release

    def key(self) -> tuple[int, int, int, int, str]:
        # A pre-release sorts before its release: 1.21.0-0 < 1.21.0.
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, self.pre)


class ConstraintError(ValueError):
    pass


def parse_version(text: str) -> Version:
    match = _VERSION.match(text.strip())
    if match is None or any(p in _WILD for p in match.groups()[:3] if p):
        raise ConstraintError(f"{text!r} is not a version")
    major, minor, patch, pre = match.groups()
    return Version(int(major), int(minor or 0), int(patch or 0), pre or "")


def satisfies(version: str, constraint: str) -> bool:
    """Whether `version` meets `constraint`; raises ConstraintError if it is malformed."""
    wanted = parse_version(version)
    alternatives = [a.strip() for a in constraint.split("||")]
    if not any(alternatives):
        raise ConstraintError(f"{constraint!r} is an empty constraint")
    return any(_all_hold(wanted, alternative) for alternative in alternatives)


def _all_hold(version: Version, conditions: str) -> bool:
    text = re.sub(r"\s+-\s+", " - ", conditions.strip())
    text = re.sub(r"(!=|>=|=>|<=|=<|~>|[=<>~^])\s+", r"\1", text)
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    held = True
    index = 0
    while index < len(tokens):
        if index + 2 < len(tokens) and tokens[index + 1] == "-":
            low, high = tokens[index], tokens[index + 2]
            held &= _check(version, ">=", low) and _check(version, "<=", high)
            index += 3
            continue
        match = _CONDITION.match(tokens[index])
        if match is None:
            raise ConstraintError(f"{tokens[index]!r} is not a condition")
        held &= _check(version, match.group(1) or "=", match.group(2))
        index += 1
    return held


def _bounds(text: str) -> tuple[Version, int]:
    """The version a condition names, and how many of its parts were given (wildcards
    and omitted parts are not)."""
    match = _VERSION.match(text)
    if match is None:
        raise ConstraintError(f"{text!r} is not a version")
    parts = list(match.groups()[:3])
    given = 0
    for part in parts:
        if part is None or part in _WILD:
            break
        given += 1
    numbers = [int(p) if p is not None and p not in _WILD else 0 for p in parts]
    return Version(numbers[0], numbers[1], numbers[2], match.group(4) or ""), given


def _next(version: Version, given: int) -> Version:
    """The first version past everything `version` matches when `given` parts are fixed."""
    if given <= 1:
        return Version(version.major + 1, 0, 0, "")
    if given == 2:
        return Version(version.major, version.minor + 1, 0, "")
    return Version(version.major, version.minor, version.patch + 1, "")


def _check(version: Version, op: str, text: str) -> bool:
    bound, given = _bounds(text)
    at, low = version.key(), bound.key()
    if op in ("=", "!=") and given < 3:
        inside = low <= at < _next(bound, given).key()
        return inside if op == "=" else not inside
    if op == "~" or op == "~>":
        return low <= at < _next(bound, max(2, min(given, 2))).key()
    if op == "^":
        fixed = 1 if bound.major > 0 or given < 2 else (2 if bound.minor > 0 or given < 3 else 3)
        return low <= at < _next(bound, fixed).key()
    compare = {"=": at == low, "!=": at != low, ">": at > low, "<": at < low,
               ">=": at >= low, "=>": at >= low, "<=": at <= low, "=<": at <= low}
    if op in (">", "<=", "=<") and given < 3:
        # ">1.2" means past every 1.2.x; "<=1.2" admits every 1.2.x.
        past = _next(bound, given).key()
        return at >= past if op == ">" else at < past
    return compare[op]
