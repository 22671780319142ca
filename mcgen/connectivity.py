"""Who calls whom across clusters: dependency edges and the firewall entries covering them.

A component placed on cluster C that depends on component D reaches D on C itself when
D runs there; otherwise it goes across the network to the cluster templates are given as
`dependencies.<D>.endpoint`: one in the same zone first, then the first in fleet order.
When that cluster is a replica (a replication group's other clusters serve D too), the
dependency resolves to every replica of the group: a geo load balancer (`expose.host`
without `{cluster}`), or a consumer failing over, may send it to any of them. Each
cross-cluster path needs a `spec.firewall` entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from mcgen.fleet.model import FirewallRule, Fleet


class Edge(NamedTuple):
    """Component `consumer` on cluster `source` calls `dependency` on cluster `target`."""

    consumer: str
    dependency: str
    entry: int  # index of the entry in the consumer's `dependsOn`
    source: str
    target: str
    port: int | None  # the dependency's port, else the target's `expose.port`


def serving_cluster(fleet: Fleet, dependency: str, consumer_cluster: str) -> str | None:
    """The cluster a consumer on `consumer_cluster` reaches `dependency` on."""
    serving = fleet.placements.get(dependency, ())
    if not serving:
        return None
    zone = fleet.clusters[consumer_cluster].zone
    ranked = sorted(serving, key=lambda name: (name != consumer_cluster,
                                               fleet.clusters[name].zone != zone))
    return ranked[0]


def dependency_edges(fleet: Fleet) -> Iterator[Edge]:
    """Every (consumer cluster, dependency) path, same-cluster ones included."""
    for component in fleet.components.values():
        for index, dep in enumerate(component.depends_on):
            target_component = fleet.components.get(dep.component)
            if target_component is None:
                continue
            expose = target_component.expose
            port = dep.port or (expose.port if expose else None)
            for source in fleet.placements.get(component.name, ()):
                for target in reached_clusters(fleet, dep.component, source):
                    yield Edge(component.name, dep.component, index, source, target, port)


def reached_clusters(fleet: Fleet, dependency: str, consumer_cluster: str) -> tuple[str, ...]:
    """The clusters a consumer on `consumer_cluster` may reach `dependency` on: its own
    cluster when it serves it, else the nearest serving cluster and its replicas."""
    nearest = serving_cluster(fleet, dependency, consumer_cluster)
    if nearest is None:
        return ()
    if nearest == consumer_cluster:
        return (nearest,)
    return replicas(fleet, dependency, nearest)


def replicas(fleet: Fleet, component: str, cluster: str) -> tuple[str, ...]:
    """`cluster` and the clusters that serve `component` in a replication group with it,
    in fleet order."""
    serving = set(fleet.placements.get(component, ()))
    peers = {cluster} | {member for group in fleet.groups_of(cluster)
                         for member in group.clusters if member in serving}
    return tuple(name for name in fleet.clusters if name in peers)


def load_balancer(fleet: Fleet, component: str) -> str | None:
    """The one host in front of every replica (`expose.host` without `{cluster}`)."""
    expose = fleet.components[component].expose
    if expose is None or not expose.host or "{cluster}" in expose.host:
        return None
    return expose.host


def cross_cluster_edges(fleet: Fleet) -> list[Edge]:
    return [edge for edge in dependency_edges(fleet) if edge.source != edge.target]


def covering_rule(fleet: Fleet, edge: Edge) -> FirewallRule | None:
    """The first firewall entry that opens `edge` (any port when the port is unknown)."""
    for rule in fleet.firewall:
        if edge.source in rule.sources and rule.target == edge.target and (
                edge.port is None or edge.port in rule.ports):
            return rule
    return None
