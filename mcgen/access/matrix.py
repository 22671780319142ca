"""The fleet-wide view: every cluster's grants, and the query `mcgen access` filters by."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from mcgen.access.model import ClusterAccess, Grant
from mcgen.access.policy import PolicyRule, mentions
from mcgen.access.subjects import Subject


class ClusterInfo(NamedTuple):
    name: str
    zone: str
    version: str


@dataclass(frozen=True)
class FleetAccess:
    """The access model of every cluster of one fleet, in fleet order."""

    fleet: str
    clusters: tuple[ClusterInfo, ...]
    access: Mapping[str, ClusterAccess]


@dataclass(frozen=True)
class AccessQuery:
    """What `mcgen access` was asked: each field None or empty means "any"."""

    subject: Subject | None = None
    clusters: tuple[str, ...] = ()
    namespace: str | None = None
    resource: str | None = None  # "secrets", "pods/exec", "deployments.apps"
    verb: str | None = None


class Entry(NamedTuple):
    """One grant that passed the query, with the rules of it that did."""

    fleet: str
    cluster: ClusterInfo
    grant: Grant
    rules: tuple[PolicyRule, ...]

    @property
    def cell(self) -> str:
        """The grant in a matrix cell: its role, and the namespace if not cluster-wide."""
        role = self.grant.role.name
        return f"{role} ({self.grant.scope})" if self.grant.scope else role


def entries(fleets: Iterable[FleetAccess], query: AccessQuery) -> list[Entry]:
    """Every grant of every selected cluster that passes the query, in fleet order."""
    found: list[Entry] = []
    for fleet in fleets:
        for info in fleet.clusters:
            if query.clusters and info.name not in query.clusters:
                continue
            found += _cluster_entries(fleet.fleet, info, fleet.access[info.name], query)
    return found


def _cluster_entries(fleet: str, info: ClusterInfo, access: ClusterAccess, query: AccessQuery
                     ) -> list[Entry]:
    grants = access.grants_of(query.subject) if query.subject else list(access.grants)
    found = []
    for grant in grants:
        if query.namespace is not None and grant.scope not in ("", query.namespace):
            continue
        rules = tuple(r for r in grant.rules if mentions(r, query.verb, query.resource))
        filtered = query.verb is not None or query.resource is not None
        if rules or not filtered:
            found.append(Entry(fleet, info, grant, rules))
    return found


def matrix(found: Iterable[Entry]) -> dict[Subject, dict[str, list[str]]]:
    """subject -> cluster -> the cells of its grants there (sorted, no repeats)."""
    table: dict[Subject, dict[str, list[str]]] = {}
    for entry in found:
        cells = table.setdefault(entry.grant.subject, {}).setdefault(entry.cluster.name, [])
        if entry.cell not in cells:
            cells.append(entry.cell)
    return {subject: {c: sorted(cells) for c, cells in row.items()}
            for subject, row in sorted(table.items(), key=lambda item: str(item[0]))}
