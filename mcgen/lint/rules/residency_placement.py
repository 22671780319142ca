"""residency-placement: data of a resident class placed on a cluster outside its zones.

A data class with `residency` zones (`dataClasses.personal-eu.residency: [eu]`) may only
be stored and processed on clusters of those zones; a cluster's zone follows from its
region. This rule reports

- a component of such a class whose placement puts it on a cluster of another zone (on
  the component's `placement`);
- an object labelled `mcgen.dev/data-class: <class>` (set by a template or written by
  hand) on a cluster outside the class's zones, when that label declares a class other
  than its component's (the component's own class is checked once, on the placement);
- (warning) such a label naming a data class the fleet does not declare, since a typo
  there would silently switch the check off.

Example finding:

    fleets/acme.yaml:76:7: error: accounts holds personal-eu data, which must stay in zone
    eu (GDPR), but its placement puts it on us-east (zone us, region us-east-1); place it
    only on clusters of zone eu (GDPR) [residency-placement]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.lint.residency import cluster_text, resident_class, zones_text
from mcgen.lint.subject import LintObject, Subject

ID = "residency-placement"
SEVERITY = Severity.ERROR
LABEL = "mcgen.dev/data-class"
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    yield from _components(subject, fleet)
    for obj in subject.objects:
        if LABEL in obj.labels and obj.cluster in fleet.clusters:
            yield from _labelled(subject, fleet, obj)


def _components(subject: Subject, fleet: Fleet) -> Iterator[Finding]:
    for component in fleet.components.values():
        data = resident_class(fleet, component.data_class)
        if data is None:
            continue
        for cluster in fleet.placements.get(component.name, ()):
            if fleet.clusters[cluster].zone in data.residency:
                continue
            zones = zones_text(fleet, data.residency)
            yield subject.fleet_finding(
                _RULE, f"{component.name} holds {data.name} data, which must stay in "
                f"{zones}, but its placement puts it on {cluster_text(fleet, cluster)}; "
                f"place it only on clusters of {zones}",
                fleet.where_component(component.name, "placement"),
                f"{cluster}/{component.name}",
                related=(("data class", fleet.where("spec", "dataClasses", data.name)),
                         ("cluster", fleet.where_cluster(cluster))))


def _labelled(subject: Subject, fleet: Fleet, obj: LintObject) -> Iterator[Finding]:
    name = str(obj.labels[LABEL])
    at = ("metadata", "labels", LABEL)
    component = fleet.components.get(obj.component or "")
    if component is not None and component.data_class == name:
        return
    if name not in fleet.data_classes:
        yield subject.finding(
            _RULE, obj, f"{obj.ref} declares data class {name!r}, which the fleet does not "
            f"define (known: {', '.join(sorted(fleet.data_classes))}); fix the label or add "
            "the class to spec.dataClasses", at, Severity.WARNING)
        return
    data = resident_class(fleet, name)
    assert obj.cluster is not None
    if data is not None and fleet.clusters[obj.cluster].zone not in data.residency:
        zones = zones_text(fleet, data.residency)
        yield subject.finding(
            _RULE, obj, f"{obj.ref} is labelled as holding {name} data, which must stay in "
            f"{zones}, but it is rendered for {cluster_text(fleet, obj.cluster)}; move it to "
            f"a component placed in {zones}", at)
