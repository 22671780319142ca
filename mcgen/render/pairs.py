"""Each (component, cluster) pair before it renders: its source's pieces, keyed.

A cluster's key digests everything its files are made of; `render_fleet` asks whether a
cluster with that key may be kept as the last render left it. Making a key prepares
every pair of the cluster; a cluster's facts are a much cheaper digest of all its key can
depend on (the fleet model, with only this cluster's own values, every source input's
content, each run's salt), so a cluster whose facts are the recorded ones has the key
recorded with them, and only the clusters that changed are prepared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import NamedTuple

from mcgen.fleet.model import Fleet
from mcgen.location import Problem
from mcgen.parallel import map_slices
from mcgen.render.clusterkey import ClusterKey, Placed
from mcgen.render.memo import code_fingerprint
from mcgen.sources.base import Piece, Prepared, SourceRun

__all__ = ["ClusterKey", "Pair", "Placed", "Runs", "all_facts", "cluster_key", "known_keys",
           "placed", "prepare", "recorded_pairs"]

Runs = Mapping[str, SourceRun]  # a run per source kind the fleet uses


class Pair(NamedTuple):
    component: str
    prepared: Prepared


def prepare(fleet: Fleet, runs: Runs, cluster: str) -> tuple[list[Pair], list[Problem]]:
    """Each component's pieces on `cluster`, and the problems found."""
    pairs: list[Pair] = []
    problems: list[Problem] = []
    for component in fleet.components_on(cluster):
        prepared = runs[component.source.kind].prepare(component, cluster)
        problems.extend(prepared.problems)
        pairs.append(Pair(component.name, prepared))
    return pairs, problems


def placed(pairs: Sequence[Pair], known: dict[Placed, Placed] | None = None
           ) -> tuple[Placed, ...]:
    """The pieces of `pairs` as a cluster key records them, in render order; `known`
    gives equal pieces of many clusters one object (a fleet's clusters share most)."""
    known = {} if known is None else known
    found = (Placed(pair.component, *piece) for pair in pairs for piece in pair.prepared.pieces)
    return tuple(known.setdefault(p, p) for p in found)


def recorded_pairs(fleet: Fleet, cluster: str, recorded: ClusterKey) -> list[Pair]:
    """The pairs of `cluster` as the key `recorded` was made from them, unprepared (no
    context: every piece's text must be known, `RenderMemo.has`); a cluster whose facts
    are the recorded ones has these very pieces (`cluster_facts`)."""
    by_component: dict[str, list[Piece]] = {}
    for found in recorded.pieces:
        by_component.setdefault(found.component, []).append(
            Piece(found.source, found.origin, found.key, found.name))
    return [Pair(component.name, Prepared({}, tuple(by_component.get(component.name, ()))))
            for component in fleet.components_on(cluster)]


def cluster_key(fleet: Fleet, cluster: str, pairs: list[Pair]) -> str:
    """A digest of everything a cluster's files are made of: mcgen's code, the output
    settings, the cluster, and each component placed on it with its pieces' keys."""
    parts = [code_fingerprint(), fleet.spec_path, repr(fleet.output),
             repr(fleet.clusters[cluster])]
    for component, prepared in pairs:
        parts.append(repr(fleet.components[component]))
        parts.extend(f"{piece.origin}={piece.key}" for piece in prepared.pieces)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def shared_facts(fleet: Fleet, runs: Runs, inputs_print: str) -> str:
    """A digest of all that any cluster's key depends on but its own values: mcgen's
    code, the fleet model with every cluster but its values (a template may read any
    cluster's facts), `inputs_print` (the content of every file the sources read) and
    each run's salt."""
    bare = {name: tuple(repr(getattr(cluster, f.name)) for f in fields(cluster)
                        if f.name != "values")
            for name, cluster in fleet.clusters.items()}
    salts = sorted((kind, run.salt()) for kind, run in runs.items())
    parts = [code_fingerprint(), inputs_print, repr(salts), repr(bare),
             repr(replace(fleet, clusters={}))]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def cluster_facts(shared: str, fleet: Fleet, cluster: str) -> str:
    """`shared_facts` with the cluster's own values: equal facts, equal key."""
    return hashlib.sha256(f"{shared}\0{fleet.clusters[cluster].values!r}".encode()).hexdigest()


def all_facts(fleet: Fleet, runs: Runs, inputs_print: str) -> dict[str, str]:
    """Each cluster's facts (`cluster_facts`), given the sources' `inputs_print`."""
    shared = shared_facts(fleet, runs, inputs_print)
    return {cluster: cluster_facts(shared, fleet, cluster) for cluster in fleet.clusters}


CLUSTERS_PER_WORKER = 100


def known_keys(fleet: Fleet, runs: Runs, recorded: Mapping[str, ClusterKey] | None = None,
               facts: Mapping[str, str] | None = None) -> dict[str, ClusterKey]:
    """Each cluster's key and its pieces' keys: `recorded`'s where the cluster's `facts`
    (`all_facts`) are the recorded ones, else made over all cores. Clusters with a
    problem are left out: they are rendered, so that it is reported."""
    facts = facts or {}
    found = {cluster: before for cluster, before in (recorded or {}).items()
             if facts.get(cluster) and before.facts == facts[cluster]}
    made = _made_keys(fleet, runs, [c for c in fleet.clusters if c not in found])
    found.update((c, known._replace(facts=facts.get(c, ""))) for c, known in made.items())
    return found


def _made_keys(fleet: Fleet, runs: Runs, clusters: list[str]) -> dict[str, ClusterKey]:
    """The keys of `clusters`, prepared over all cores (those with a problem left out)."""

    known: dict[Placed, Placed] = {}

    def keyed(part: Sequence[str]) -> list[ClusterKey | None]:
        found: list[ClusterKey | None] = []
        for cluster in part:
            pairs, problems = prepare(fleet, runs, cluster)
            found.append(None if problems else ClusterKey(cluster_key(fleet, cluster, pairs),
                                                          placed(pairs, known)))
        return found

    return {cluster: result for cluster, result
            in zip(clusters, map_slices(keyed, clusters, CLUSTERS_PER_WORKER), strict=True)
            if result is not None}
