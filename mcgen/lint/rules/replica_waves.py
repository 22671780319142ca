"""replica-waves: two clusters of one replication group share a rollout wave.

With `spec.rollout.replicaWaves: distinct`, every cluster of a replication group must
sit in a wave of its own, so that no change (even one that reaches only some replicas)
can land on two replicas at the same moment; `replica-blast-radius` then has nothing to
stop. Without the setting this rule finds nothing.

Fix: give each replica its own `wave`.

Example finding:

    fleets/acme.yaml:48:7: error: group us-web has us-west and us-east in wave 1; with
    spec.rollout.replicaWaves: distinct each replica needs a wave of its own [replica-waves]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject

ID = "replica-waves"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None or not fleet.rollout.replicas_in_distinct_waves:
        return
    for group in fleet.groups.values():
        by_wave: dict[int, list[str]] = {}
        for name in dict.fromkeys(group.clusters):
            if name in fleet.clusters:
                by_wave.setdefault(fleet.clusters[name].wave, []).append(name)
        for wave, members in sorted(by_wave.items()):
            if len(members) > 1:
                yield subject.fleet_finding(
                    _RULE, f"group {group.name} has {' and '.join(members)} in wave {wave}; "
                    "with spec.rollout.replicaWaves: distinct each replica needs a wave of "
                    "its own", fleet.where_group(group.name), f"group/{group.name}")
