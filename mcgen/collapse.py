"""One problem repeated on many clusters, shown once: the count and the first few names.

A template bug renders on every cluster the template serves, so a fleet of a thousand
clusters would print it a thousand times. Input problems and lint findings that differ
only in the cluster they are about are folded into one line that names how many clusters
and the first few of them; machine formats (JSON, SARIF, JUnit) keep every finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from mcgen.findings import Finding
from mcgen.location import Location, Problem

SHOWN_NAMES = 3  # cluster names spelled out before "and N more"
_NAMED = re.compile(r"\bcluster '([a-z0-9]([-a-z0-9]*[a-z0-9])?)'")


def clusters_text(names: Sequence[str], other: bool = False) -> str:
    """`3 clusters: 'a', 'b', 'c'` or `1000 clusters: 'a', 'b', 'c' and 997 more`
    (`other`: `2 other clusters: ...`)."""
    shown = ", ".join(repr(n) for n in names[:SHOWN_NAMES])
    more = f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else ""
    noun = "cluster" if len(names) == 1 else "clusters"
    return f"{len(names)} {'other ' if other else ''}{noun}: {shown}{more}"


def collapse_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems at one place whose messages differ only in the `cluster 'x'` they name,
    as one problem naming the clusters; the rest unchanged, in order."""
    groups: dict[tuple[Location, str], list[str]] = {}
    order: list[tuple[Location, str] | Problem] = []
    for problem in problems:
        named = _NAMED.findall(problem.message)
        if len(named) != 1:
            order.append(problem)
            continue
        key = (problem.location, _NAMED.sub("cluster {}", problem.message))
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(named[0][0])
    return [item if isinstance(item, Problem) else _folded(item, groups[item])
            for item in order]


def _folded(key: tuple[Location, str], names: list[str]) -> Problem:
    where, message = key
    if len(names) == 1:
        return Problem(where, message.replace("cluster {}", f"cluster {names[0]!r}"))
    return Problem(where, message.replace("cluster {}", f"{clusters_text(names)}"))


class Shown(NamedTuple):
    """A finding to print, and the other clusters where the very same one stands."""

    finding: Finding
    also: tuple[str, ...] = ()

    def __str__(self) -> str:
        if not self.also:
            return str(self.finding)
        return f"{self.finding}\n    and the same on {clusters_text(self.also, other=True)}"


def collapse_findings(findings: Iterable[Finding]) -> list[Shown]:
    """Findings produced by one template line with one message on several clusters, as
    the first of them with the names of the others; findings with no template line (fleet
    spec, plain manifests) are never folded."""
    groups: dict[tuple[object, ...], list[tuple[Finding, str]]] = {}
    order: list[tuple[object, ...]] = []
    for index, finding in enumerate(findings):
        key, cluster = _group_key(finding, index)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((finding, cluster))
    shown = []
    for key in order:
        (first, _), *rest = groups[key]
        shown.append(Shown(first, tuple(cluster for _, cluster in rest)))
    return shown


def _group_key(finding: Finding, index: int) -> tuple[tuple[object, ...], str]:
    cluster = finding.target.partition("/")[0] if "/" in finding.target else ""
    template = dict(finding.related).get("template")
    parts = finding.location.path.split("/")
    if not cluster or template is None or cluster not in parts:
        return (index,), ""
    at = parts.index(cluster)
    path = "/".join([*parts[:at], "{cluster}", *parts[at + 1:]])
    message = re.sub(rf"\b{re.escape(cluster)}\b", "{cluster}", finding.message)
    return ((finding.rule, finding.severity, message, path, finding.location.line,
             finding.location.col, finding.related), cluster)
