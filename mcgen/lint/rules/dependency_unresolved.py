"""dependency-unresolved: a dependency on a component that is placed on no cluster.

`dependsOn: [{component: accounts}]` promises that `accounts` runs somewhere; when its
placement matches no cluster (an empty selector match, a group with no clusters, or the
placement was edited away), every consumer renders an endpoint that answers nothing, and
`dependencies.accounts.endpoint` is empty in templates. The finding sits on the
consumer's `dependsOn` entry; its target is `*/<consumer>`.

Example finding:

    fleets/acme.yaml:69:19: error: storefront depends on accounts, which is placed on no
    cluster (its placement matches none); place accounts or drop the dependency
    [dependency-unresolved]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject

ID = "dependency-unresolved"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    for component in fleet.components.values():
        for index, dep in enumerate(component.depends_on):
            if dep.component in fleet.components and not fleet.placements.get(dep.component):
                yield subject.fleet_finding(
                    _RULE, f"{component.name} depends on {dep.component}, which is placed on "
                    f"no cluster (its placement matches none); place {dep.component} or drop "
                    "the dependency",
                    fleet.where_component(component.name, "dependsOn", index),
                    f"*/{component.name}",
                    related=(("placement", fleet.where_component(dep.component, "placement")),))
