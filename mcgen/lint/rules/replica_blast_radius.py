"""replica-blast-radius: one change reaching every replica of a group at once.

Replicas exist so that one of them keeps serving while the other breaks. A pull request
that changes the rendered objects of *every* cluster of a replication group, when those
clusters share one rollout wave, ships a mistake to all replicas at the same moment:
nothing is left to fail over to. Give the replicas different `wave`s (Argo CD's
ApplicationSet RollingSync and the wave labels then roll the change out one wave at a
time), or split the change.

It also enforces `spec.rollout.maxClustersPerChange` (0 = no limit): a change may touch
at most that many clusters.

Waves stage a change only where the engine holds later waves back. On Flux without
`spec.rollout.flux.waveRefs`, and on Argo CD with plain Applications, every cluster
applies the branch as soon as the change merges: a change that reaches clusters of more
than one wave is then a warning saying so, with what to set (docs/rollout.md).

This rule needs the change set of a pull request, so it runs in `mcgen ci --base REF`
(which renders both revisions from git), not in plain `mcgen lint`.

Example findings:

    fleets/acme.yaml:56:7: error: this change alters every replica of group us-web
    (us-west, us-east) in the same wave 1: a mistake would reach all of them at once;
    put the replicas in different waves [replica-blast-radius]

    fleets/acme.yaml:10:13: warning: this change reaches waves 1, 2 (us-west, us-east) on
    engine flux, where waves stage nothing: every cluster applies it when it merges; set
    spec.rollout.flux.waveRefs: true and move the waves with `mcgen promote`
    [replica-blast-radius]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.lint.subject import Subject
from mcgen.output.engines.registry import engine_of

ID = "replica-blast-radius"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet, changes = subject.fleet, subject.changes
    if fleet is None or changes is None:
        return
    touched = [name for name in changes.touched() if name in fleet.clusters]
    for group in fleet.groups.values():
        members = [name for name in group.clusters if name in fleet.clusters]
        waves = {fleet.clusters[name].wave for name in members}
        if len(members) > 1 and set(members) <= set(touched) and len(waves) == 1:
            yield subject.fleet_finding(
                _RULE, f"this change alters every replica of group {group.name} "
                f"({', '.join(members)}) in the same wave {waves.pop()}: a mistake would reach "
                "all of them at once; put the replicas in different waves or split the change",
                fleet.where_group(group.name), f"group/{group.name}")
    yield from _unstaged(subject, fleet, touched)
    limit = fleet.max_clusters_per_change
    if limit and len(touched) > limit:
        yield subject.fleet_finding(
            _RULE, f"this change alters {len(touched)} clusters ({', '.join(touched)}), more "
            f"than spec.rollout.maxClustersPerChange ({limit}); split it",
            fleet.where("spec", "rollout", "maxClustersPerChange"), "rollout")


def _unstaged(subject: Subject, fleet: Fleet, touched: list[str]) -> Iterator[Finding]:
    waves = sorted({fleet.clusters[name].wave for name in touched})
    hint = engine_of(fleet).staging_hint(fleet)
    if len(waves) > 1 and hint:
        yield subject.fleet_finding(
            _RULE, f"this change reaches waves {', '.join(map(str, waves))} "
            f"({', '.join(touched)}) on engine {fleet.output.engine}, where waves stage "
            f"nothing: every cluster applies it when it merges; {hint}",
            fleet.where("spec", "output", "engine"), "rollout", Severity.WARNING)
