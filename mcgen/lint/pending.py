"""What a shard leaves to `mcgen lint --merge`: the findings that need every shard.

A shard (`mcgen lint --shard K/N`) renders only its own clusters. Two checks compare
what all clusters run, so no shard can make their findings alone:

- `rollout-order` compares each version with the oldest one of every earlier wave,
  wherever that cluster is;
- `secret-recipients` counts the encrypted documents of the whole fleet (Argo CD).

A shard reports neither. Its JSON report carries their facts instead (`"pending"`): every
version its clusters run, each with the place its finding would have (already settled by
severity settings and suppressions, or none), and each counted finding with its count.
`--merge` makes the findings from all shards' facts as one run makes them from the whole
fleet, so the merged report equals one run's (`tests/lint/test_shards.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from mcgen.findings import Finding, Severity
from mcgen.location import Location


class Running(NamedTuple):
    """One version a cluster runs (rollout-order's `Seen`, with the cluster's wave), and
    its finding, message left out, should it be ahead of an earlier wave (None: the
    finding would be suppressed or is turned off)."""

    order: tuple[int, str, int, int]
    cluster: str
    wave: int
    component: str
    what: str
    version: str
    finding: Finding | None


class Counted(NamedTuple):
    """A finding that counts what the clusters hold: its message is `<count> <message>`."""

    finding: Finding
    tally: int


@dataclass(frozen=True)
class Pending:
    """One shard's facts of one fleet: `shard` is its (K, N)."""

    fleet: str
    shard: tuple[int, int]
    running: tuple[Running, ...] = ()
    counted: tuple[Counted, ...] = ()


def counted_findings(pending: Iterable[Pending]) -> list[Finding]:
    """Each counted finding once, its count summed over the shards (a shard's report
    merged twice counts once)."""
    counts: dict[Finding, dict[tuple[str, int, int], int]] = {}
    for part in pending:
        for item in part.counted:
            counts.setdefault(item.finding, {})[(part.fleet, *part.shard)] = item.tally
    return [finding._replace(message=f"{sum(by_shard.values())} {finding.message}")
            for finding, by_shard in counts.items()]


def all_running(pending: Iterable[Pending]) -> dict[str, list[Running]]:
    """Each fleet's versions, of every shard, once each, in run order."""
    found: dict[str, dict[tuple[int, str, int, int], Running]] = {}
    for part in pending:
        found.setdefault(part.fleet, {}).update((item.order, item) for item in part.running)
    return {fleet: [items[order] for order in sorted(items)]
            for fleet, items in sorted(found.items())}


# The JSON of a report's "pending" member.

def pending_json(pending: Pending) -> dict[str, object]:
    return {
        "fleet": pending.fleet,
        "shard": list(pending.shard),
        "running": [{"order": list(r.order), "cluster": r.cluster, "wave": r.wave,
                     "component": r.component, "what": r.what, "version": r.version,
                     "finding": None if r.finding is None else finding_json(r.finding)}
                    for r in pending.running],
        "counted": [{"finding": finding_json(c.finding), "count": c.tally}
                    for c in pending.counted],
    }


def pending_of(body: object) -> Pending:
    """A report's "pending" entry, read back; KeyError, TypeError or ValueError when it
    is not one."""
    entry = _object(body)
    index, count = _ints(entry["shard"], 2)
    running = tuple(_running(_object(item)) for item in _list(entry["running"]))
    counted = tuple(Counted(finding_of(c["finding"]), _ints([c["count"]], 1)[0])
                    for c in map(_object, _list(entry["counted"])))
    return Pending(str(entry["fleet"]), (index, count), running, counted)


def _running(entry: Mapping[str, object]) -> Running:
    order = _list(entry["order"])
    kind, line, place = _ints([order[0], order[2], order[3]], 3)
    finding = entry["finding"]
    return Running((kind, str(order[1]), line, place), str(entry["cluster"]),
                   _ints([entry["wave"]], 1)[0], str(entry["component"]), str(entry["what"]),
                   str(entry["version"]), None if finding is None else finding_of(finding))


def _object(value: object) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _ints(value: object, count: int) -> list[int]:
    items = _list(value)
    if len(items) != count or not all(type(item) is int for item in items):
        raise TypeError(f"expected {count} integer(s)")
    return [int(str(item)) for item in items]


def place(location: Location) -> dict[str, object]:
    return {"path": location.path, "line": location.line, "col": location.col}


def finding_json(finding: Finding) -> dict[str, object]:
    """A finding as the JSON report writes it."""
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "location": place(finding.location),
        "related": [{"label": label, **place(where)} for label, where in finding.related],
        "target": finding.target,
    }


def finding_of(entry: object) -> Finding:
    """A finding read back from `finding_json`'s shape."""
    if not isinstance(entry, dict):
        raise TypeError("a finding is an object")
    where = entry["location"]
    related = entry.get("related") or []
    if not isinstance(where, dict) or not isinstance(related, list):
        raise TypeError("a finding's location is an object, its related places a list")
    return Finding(
        str(entry["rule"]), Severity(str(entry["severity"])), str(entry["message"]),
        Location(str(where["path"]), int(where["line"]), int(where["col"])),
        tuple((str(r["label"]), Location(str(r["path"]), int(r["line"]), int(r["col"])))
              for r in related),
        str(entry.get("target", "")),
    )
