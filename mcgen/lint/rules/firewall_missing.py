"""firewall-missing: a cross-cluster dependency that no firewall entry opens.

When component A on cluster C depends on component B and B is not placed on C, A calls B
across the network on the cluster that serves it (same zone first, then fleet order: the
`dependencies.B.endpoint` templates see). That path only works if the network between
the clusters is open, and `spec.firewall` is where the fleet says which paths are:

    firewall:
      - {from: [us-west, us-east], to: eu-west, ports: [443]}

Each cross-cluster path needs an entry whose `from` holds the consumer's cluster, whose
`to` is the serving cluster, and whose `ports` hold the port: the dependency's own `port`
(`dependsOn: [{component: accounts, port: 8443}]`), else the serving component's
`expose.port`. A dependency with neither needs an entry for the two clusters on any port.

A dependency on a replicated component (its serving cluster's replication group has other
clusters serving it) resolves to every replica: a geo load balancer (`expose.host`
without `{cluster}`) or a failing-over consumer may reach any of them, so each replica
needs its entry, and the message names the group and the load-balancer host.

The finding sits on the `dependsOn` entry. `mcgen graph --format markdown` prints the
whole firewall matrix.

Example finding:

    fleets/acme.yaml:69:19: error: storefront on us-east calls accounts on eu-west on
    port 443, but no spec.firewall entry opens us-east -> eu-west:443; add
    {from: [us-east], to: eu-west, ports: [443]} [firewall-missing]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.connectivity import Edge, covering_rule, cross_cluster_edges, load_balancer, replicas
from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.lint.subject import Subject

ID = "firewall-missing"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    for edge in cross_cluster_edges(fleet):
        if covering_rule(fleet, edge) is None:
            yield subject.fleet_finding(
                _RULE, _message(fleet, edge),
                fleet.where_component(edge.consumer, "dependsOn", edge.entry),
                f"{edge.source}/{edge.consumer}",
                related=(("firewall", fleet.where("spec", "firewall")),
                         ("target cluster", fleet.where_cluster(edge.target))))


def _message(fleet: Fleet, edge: Edge) -> str:
    port = f":{edge.port}" if edge.port is not None else " (any port)"
    on_port = f" on port {edge.port}" if edge.port is not None else ""
    ports = f"[{edge.port}]" if edge.port is not None else "[<port>]"
    near = [rule for rule in fleet.firewall
            if edge.source in rule.sources and rule.target == edge.target]
    hint = (f" (the entry for {edge.source} -> {edge.target} opens only "
            f"{', '.join(map(str, near[0].ports))})") if near else ""
    return (f"{edge.consumer} on {edge.source} calls {edge.dependency} on {edge.target}"
            f"{_replicated(fleet, edge)}{on_port}, but no spec.firewall entry opens "
            f"{edge.source} -> {edge.target}{port}{hint}; add "
            f"{{from: [{edge.source}], to: {edge.target}, ports: {ports}}}")


def _replicated(fleet: Fleet, edge: Edge) -> str:
    """` (one of the replicas ...)` when the dependency resolves to several clusters."""
    peers = replicas(fleet, edge.dependency, edge.target)
    if len(peers) < 2:
        return ""
    group = next(g.name for g in fleet.groups_of(edge.target)
                 if any(p in g.clusters for p in peers if p != edge.target))
    host = load_balancer(fleet, edge.dependency)
    via = f", behind its load-balancer host {host}" if host else ""
    return (f" (a replica of group {group}: {', '.join(peers)}{via}; a dependency on a "
            "replicated component may reach every replica)")
