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
from mcgen.lint.residency import cluster_text, resident_class, zones_text
from mcgen.lint.subject import Subject

ID = "residency-transfer"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    for edge in dependency_edges(fleet):
        data = resident_class(fleet, fleet.components[edge.dependency].data_class)
        zone = fleet.clusters[edge.source].zone
        if data is None or zone in data.residency or zone in data.allow_consumers_from:
            continue
        yield subject.fleet_finding(
            _RULE, _message(fleet, edge, data),
            fleet.where_component(edge.consumer, "dependsOn", edge.entry),
            f"{edge.source}/{edge.consumer}",
            related=(("data class", fleet.where("spec", "dataClasses", data.name)),
                     ("consumer cluster", fleet.where_cluster(edge.source))))


def _message(fleet: Fleet, edge: Edge, data: DataClass) -> str:
    zones = zones_text(fleet, data.residency)
    zone = fleet.clusters[edge.source].zone
    return (f"{edge.consumer} on {cluster_text(fleet, edge.source)} depends on "
            f"{edge.dependency}, which holds {data.name} data resident in {zones}: through "
            f"this dependency the data flows from {edge.target} to {edge.source}, outside "
            f"{zones}. Place {edge.consumer} in {zones}, or, once a compliance review allows "
            f"it, add {zone} to dataClasses.{data.name}.allowConsumersFrom")
