"""residency-transfer: a dependency makes resident data flow to another zone.

When component A depends on component B, A's requests return B's data to A's cluster.
If B's data class is resident (`residency: [eu]`), a consumer on a cluster outside those
zones receives that data there: a transfer out of the zone, which regulations such as
GDPR allow only under conditions a compliance review has to check. The fleet records
that review in the class's `allowConsumersFrom` (the zones whose components may depend on
it); any other zone is reported, on the consumer's `dependsOn` entry.

    dataClasses:
      personal-eu:
        residency: [eu]
        allowConsumersFrom: [us]   # reviewed: the US storefront only sees tokens

Data travels along chains too: if `web` depends on `api` and `api` depends on
`customer-data`, whatever `customer-data` returns to `api` can be returned on to `web`. So a
component carries its own data class and every class its dependencies carry, and a consumer
outside a carried class's zones is reported with the whole path (`web -> api ->
customer-data`), even when `api` itself holds only public data. Each (consumer, dependency,
class) is reported once, with the shortest path.

Example finding:

    fleets/acme.yaml:69:19: error: storefront on ap-south (zone ap, region ap-south-1)
    depends on accounts, which holds personal-eu data resident in zone eu (GDPR): through
    this dependency the data flows from eu-west to ap-south, outside zone eu (GDPR).
    Place storefront in zone eu, or, once a compliance review allows it, add ap to
    dataClasses.personal-eu.allowConsumersFrom [residency-transfer]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.connectivity import Edge, dependency_edges
from mcgen.findings import Finding, Severity
from mcgen.fleet.model import DataClass, Fleet
from mcgen.lint.datachains import Chain, Hop, carried_classes
from mcgen.lint.residency import cluster_text, zones_text
from mcgen.lint.subject import Subject

ID = "residency-transfer"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    carried = carried_classes(fleet)
    for edge in dependency_edges(fleet):
        zone = fleet.clusters[edge.source].zone
        for chain in carried.get(Hop(edge.dependency, edge.target), ()):
            data = chain.data
            if zone in data.residency or zone in data.allow_consumers_from:
                continue
            yield subject.fleet_finding(
                _RULE, _message(fleet, edge, chain),
                fleet.where_component(edge.consumer, "dependsOn", edge.entry),
                f"{edge.source}/{edge.consumer}",
                related=(("data class", fleet.where("spec", "dataClasses", data.name)),
                         ("consumer cluster", fleet.where_cluster(edge.source))))


def _message(fleet: Fleet, edge: Edge, chain: Chain) -> str:
    data = chain.data
    zones = zones_text(fleet, data.residency)
    if len(chain.hops) == 1:
        holds = f"which holds {data.name} data resident in {zones}: through this dependency"
    else:
        path = " -> ".join((edge.consumer, *(hop.component for hop in chain.hops)))
        holds = (f"which passes on {data.name} data resident in {zones} from "
                 f"{chain.origin.component} on {chain.origin.cluster} ({path}): through "
                 "this chain")
    return (f"{edge.consumer} on {cluster_text(fleet, edge.source)} depends on "
            f"{edge.dependency}, {holds} the data flows from {chain.origin.cluster} to "
            f"{edge.source}, outside {zones}. {_remedy(fleet, edge, data)}")


def _remedy(fleet: Fleet, edge: Edge, data: DataClass) -> str:
    zones = zones_text(fleet, data.residency)
    zone = fleet.clusters[edge.source].zone
    return (f"Place {edge.consumer} in {zones}, or, once a compliance review allows it, add "
            f"{zone} to dataClasses.{data.name}.allowConsumersFrom")
