"""Splitting a fleet's clusters across CI jobs, and merging the jobs' reports.

`--shard K/N` keeps the clusters of a replication group in one shard (replica drift
compares them), so the unit of work is a group (or a cluster in no group), dealt round-
robin in fleet order: deterministic, and the same on every job. Fleet-wide findings
(firewall, residency flows, suppressions) are reported by every shard; merging the JSON
reports drops the duplicates, so N shards merged equal one run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from mcgen.errors import UsageError
from mcgen.findings import Finding, Severity, finding_order
from mcgen.fleet.model import Fleet
from mcgen.location import Location

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


def read_report(path: str) -> tuple[list[Finding], int, list[str]]:
    """Findings, object count and rules of one `mcgen lint --format json` report."""
    try:
        with open(path, encoding="utf-8") as handle:
            body = json.load(handle)
        findings = [_finding(entry) for entry in body["findings"]]
        return findings, int(body["summary"]["objects"]), list(body["summary"]["rules"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path}: not a `mcgen lint --format json` report ({exc})") from exc


def _finding(entry: dict[str, object]) -> Finding:
    where = entry["location"]
    assert isinstance(where, dict)
    related = entry.get("related") or []
    assert isinstance(related, list)
    return Finding(
        str(entry["rule"]), Severity(str(entry["severity"])), str(entry["message"]),
        Location(str(where["path"]), int(where["line"]), int(where["col"])),
        tuple((str(r["label"]), Location(str(r["path"]), int(r["line"]), int(r["col"])))
              for r in related),
        str(entry.get("target", "")),
    )


def merge(reports: Iterable[tuple[list[Finding], int, list[str]]]
          ) -> tuple[list[Finding], int, list[str]]:
    findings: dict[Finding, None] = {}
    rules: dict[str, None] = {}  # in the order the reports list them
    objects = 0
    for found, count, names in reports:
        findings.update(dict.fromkeys(found))
        objects += count
        rules.update(dict.fromkeys(names))
    ordered = sorted(findings, key=finding_order)
    return ordered, objects, list(rules)
