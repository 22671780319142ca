"""Clusters a render need not touch: same key as last time, files as mcgen left them.

A cluster's key (`mcgen.render.engine.cluster_key`) covers everything its files are made
of. When it equals the key recorded by the last render and every file of the cluster is
in the index with a trusted stat, the cluster is not rendered: its files enter the plan
as `Kept` entries carrying their recorded key, so the plan neither reads nor emits them.
If the plan finds one changed on disk after all (a hand edit since the record), it asks
for the text, `Stale` is raised, and the fleet is rendered again without reuse.
"""

from __future__ import annotations

from collections.abc import Iterable

from mcgen.fleet.model import Fleet
from mcgen.output.fastcheck import Index


class Stale(Exception):
    """A reused cluster's file is not as the last render left it."""


class Kept:
    """A file of a reused cluster, known by the key recorded for it."""

    def __init__(self, key: str) -> None:
        self.key = key

    @property
    def text(self) -> str:
        raise Stale(self.key)


class Reuser:
    """Whether a cluster with a given key may stay as the index records it (a Reuse),
    and the files of those that do."""

    def __init__(self, fleet: Fleet, index: Index) -> None:
        self.index = index = index.of(fleet.name)
        self.files = _by_cluster(fleet, index.known)
        self.racy = set(_by_cluster(fleet, index.racy))

    def __call__(self, cluster: str, key: str) -> bool:
        return (self.index.clusters.get(cluster) == key and cluster in self.files
                and cluster not in self.racy)

    def kept(self, clusters: frozenset[str]) -> dict[str, Kept]:
        """The files of the reused `clusters`, by the keys recorded for them."""
        return {path: Kept(self.index.known[path].key)
                for cluster in sorted(clusters) for path in self.files[cluster]}


def _by_cluster(fleet: Fleet, paths: Iterable[str]) -> dict[str, list[str]]:
    """`paths` grouped by the cluster folder they lie in (others are left out)."""
    top = fleet.output.dir.rstrip("/") + "/"
    found: dict[str, list[str]] = {}
    for path in paths:
        cluster, slash, _ = path.removeprefix(top).partition("/")
        if path.startswith(top) and slash and cluster in fleet.clusters:
            found.setdefault(cluster, []).append(path)
    return found
