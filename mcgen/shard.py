"""Splitting a fleet's clusters across CI jobs, and merging the jobs' reports.

`--shard K/N` keeps the clusters of a replication group in one shard (replica drift
compares them), so the unit of work is a group (or a cluster in no group), dealt round-
robin in fleet order: deterministic, and the same on every job. Fleet-wide findings
(firewall, residency flows, suppressions) are reported by every shard; merging the JSON
reports drops the duplicates and makes the findings that compare every shard's clusters
from the facts each shard's report carries (`mcgen.lint.pending`), so N shards merged
equal one run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import NamedTuple

from mcgen.errors import UsageError
from mcgen.findings import Finding, finding_order
from mcgen.fleet.model import Fleet
from mcgen.lint.pending import Pending, all_running, counted_findings, finding_of, pending_of
from mcgen.lint.rules import rollout_order

_SHARD = re.compile(r"^(\d+)/(\d+)$")


def parse_shard(text: str) -> tuple[int, int]:
    match = _SHARD.match(text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise UsageError(f"--shard takes K/N with 1 <= K <= N, e.g. 2/4 (got {text!r})")
    return int(match.group(1)), int(match.group(2))


def units(fleet: Fleet) -> list[list[str]]:
    """Clusters that must stay together: connected through shared groups, in fleet order."""
    owner: dict[str, int] = {}
    found: list[list[str]] = []
    for name in fleet.clusters:
        if name in owner:
            continue
        unit, pending = [], [name]
        while pending:
            current = pending.pop()
            if current in owner:
                continue
            owner[current] = len(found)
            unit.append(current)
            for group in fleet.groups_of(current):
                pending.extend(c for c in group.clusters if c in fleet.clusters)
        found.append(sorted(unit, key=lambda c: fleet.clusters[c].index))
    return found


def clusters_in_shard(fleet: Fleet, shard: tuple[int, int]) -> set[str]:
    index, count = shard
    return {c for number, unit in enumerate(units(fleet)) if number % count == index - 1
            for c in unit}


class Report(NamedTuple):
    """One `mcgen lint --format json` report, read back."""

    findings: list[Finding]
    objects: int
    rules: list[str]
    pending: list[Pending]  # a shard's facts (`mcgen.lint.pending`)


def read_report(path: str) -> Report:
    try:
        with open(path, encoding="utf-8") as handle:
            body = json.load(handle)
        return Report([finding_of(entry) for entry in body["findings"]],
                      int(body["summary"]["objects"]), list(body["summary"]["rules"]),
                      [pending_of(entry) for entry in body.get("pending", ())])
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise UsageError(f"{path}: not a `mcgen lint --format json` report ({exc})") from exc


def merge(reports: Iterable[Report]) -> Report:
    """One report of the shards' reports: their findings once each, and those the
    shards left pending, made from all their facts."""
    findings: dict[Finding, None] = {}
    rules: dict[str, None] = {}  # in the order the reports list them
    pending: list[Pending] = []
    objects = 0
    for report in reports:
        findings.update(dict.fromkeys(report.findings))
        objects += report.objects
        rules.update(dict.fromkeys(report.rules))
        pending.extend(report.pending)
    findings.update(dict.fromkeys(counted_findings(pending)))
    for running in all_running(pending).values():
        findings.update(dict.fromkeys(rollout_order.merged(running)))
    return Report(sorted(findings, key=finding_order), objects, list(rules), [])
