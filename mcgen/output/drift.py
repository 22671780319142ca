"""Findings for a tree on disk that differs from what the fleet renders."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.location import Location
from mcgen.output.ownership import conflicted
from mcgen.output.tree import TreePlan

OUTPUT_DRIFT = "output-drift"


def drift_findings(plan: TreePlan) -> Iterator[Finding]:
    """`output-drift`: files that differ from what the fleet renders, and why; a tree of
    which no file exists is one finding (never rendered), not one per file."""
    if _never_rendered(plan):
        folder = posixpath.commonpath(plan.writes)
        yield Finding(OUTPUT_DRIFT, Severity.ERROR,
                      f"the tree was never rendered: run `mcgen render` and commit {folder}/ "
                      f"({len(plan.writes)} generated files are missing)",
                      Location(folder), target=folder)
        return
    edited = set(plan.hand_edited)
    for path in plan.writes:
        old = plan.current.get(path)
        if old is None:
            message = "generated file is missing; run `mcgen render`"
        elif conflicted(old):
            message = ("generated file holds the markers of a conflicted git merge; run "
                       "`mcgen render`, which renders the merged fleet over it")
        elif path in edited:
            message = ("generated file was edited by hand; change the fleet or its templates "
                       "instead, then run `mcgen render`")
        else:
            message = ("generated file is stale: the fleet renders it differently; "
                       "run `mcgen render`")
        yield Finding(OUTPUT_DRIFT, Severity.ERROR, message,
                      Location(path, 1 if old is None else _first_difference(
                          old, plan.desired[path]), 1), target=path)
    for path in plan.deletes:
        yield Finding(OUTPUT_DRIFT, Severity.ERROR,
                      "generated file is no longer produced by the fleet; run `mcgen render` "
                      "to remove it", Location(path, 1, 1), target=path)


def _never_rendered(plan: TreePlan) -> bool:
    return len(plan.writes) > 1 and not plan.deletes and all(
        plan.current.get(path) is None for path in plan.writes) and len(plan.writes) == len(
        plan.desired)


def _first_difference(old: bytes, new: bytes) -> int:
    for number, (a, b) in enumerate(zip(old.splitlines(), new.splitlines(), strict=False), 1):
        if a != b:
            return number
    return min(len(old.splitlines()), len(new.splitlines())) + 1
