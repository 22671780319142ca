"""Who calls whom across clusters: dependency edges and the firewall entries covering them.

A component placed on cluster C that depends on component D reaches D on C itself when
D runs there; otherwise it goes across the network to the cluster templates are given as
`dependencies.<D>.endpoint`: one in the same zone first, then the first in fleet order.
That cross-cluster path needs a `spec.firewall` entry.
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
                target = serving_cluster(fleet, dep.component, source)
                if target is not None:
                    yield Edge(component.name, dep.component, index, source, target, port)


def cross_cluster_edges(fleet: Fleet) -> list[Edge]:
    return [edge for edge in dependency_edges(fleet) if edge.source != edge.target]


def covering_rule(fleet: Fleet, edge: Edge) -> FirewallRule | None:
    """The first firewall entry that opens `edge` (any port when the port is unknown)."""
    for rule in fleet.firewall:
        if edge.source in rule.sources and rule.target == edge.target and (
                edge.port is None or edge.port in rule.ports):
            return rule
    return None
