"""Each (component, cluster) pair before it renders: its source's pieces, keyed.

A cluster's key digests everything its files are made of; `render_fleet` asks whether a
cluster with that key may be kept as the last render left it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from mcgen.fleet.model import Fleet
from mcgen.location import Problem
from mcgen.parallel import map_slices
from mcgen.render.memo import code_fingerprint
from mcgen.sources.base import Prepared, SourceRun

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


def cluster_key(fleet: Fleet, cluster: str, pairs: list[Pair]) -> str:
    """A digest of everything a cluster's files are made of: mcgen's code, the output
    settings, the cluster, and each component placed on it with its pieces' keys."""
    parts = [code_fingerprint(), fleet.spec_path, repr(fleet.output),
             repr(fleet.clusters[cluster])]
    for component, prepared in pairs:
        parts.append(repr(fleet.components[component]))
        parts.extend(f"{piece.origin}={piece.key}" for piece in prepared.pieces)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


CLUSTERS_PER_WORKER = 100


def known_keys(fleet: Fleet, runs: Runs) -> dict[str, tuple[str, list[str]]]:
    """Each cluster's key and its pieces' keys, over all cores (clusters with a problem
    are left out: they are rendered, so that it is reported)."""

    def keyed(part: Sequence[str]) -> list[tuple[str, list[str]] | None]:
        found: list[tuple[str, list[str]] | None] = []
        for cluster in part:
            pairs, problems = prepare(fleet, runs, cluster)
            keys = [piece.key for pair in pairs for piece in pair.prepared.pieces]
            found.append(None if problems else (cluster_key(fleet, cluster, pairs), keys))
        return found

    clusters = list(fleet.clusters)
    return {cluster: result for cluster, result
            in zip(clusters, map_slices(keyed, clusters, CLUSTERS_PER_WORKER), strict=True)
            if result is not None}
