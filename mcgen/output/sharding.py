"""`mcgen render --shard K/N`: one CI job's part of a large fleet's render.

The clusters are split as `mcgen lint --shard` splits them (`mcgen.shard`: the clusters
of a replication group stay in one shard, units dealt round-robin in fleet order), so
every job computes the same split. A shard renders, writes and prunes only the folders
of its own clusters; the first shard also owns everything else the fleet writes: the
files beside the cluster folders (`argocd/<fleet>/`) and any stale folder of a cluster
that is no longer in the fleet. The shards' trees, put together, are one render's.
"""

from __future__ import annotations

from mcgen.fleet.model import Fleet
from mcgen.output.tree import Scope
from mcgen.shard import clusters_in_shard


def shard_clusters(fleet: Fleet, shard: tuple[int, int]) -> frozenset[str]:
    """The clusters shard `shard` (K, N) renders."""
    return frozenset(clusters_in_shard(fleet, shard))


def shard_scope(fleet: Fleet, mine: frozenset[str], first: bool) -> Scope:
    """Where the shard's plan looks: its clusters' folders; the first shard, everything
    the fleet writes but the folders of the other shards' clusters."""
    top = fleet.output.dir.rstrip("/")
    if not first:
        return Scope(tuple(f"{top}/{cluster}" for cluster in sorted(mine)))
    return Scope(None, frozenset(f"{top}/{cluster}" for cluster in fleet.clusters
                                 if cluster not in mine))
