"""rollout-soak: a change reaches a wave before it has soaked on the wave before.

`spec.rollout.soak: 24h` asks that a change run on wave N for 24 hours before it reaches
wave N+1. Where a merge reaches its clusters at once (Flux without wave refs, Argo CD,
plain kustomize), `mcgen ci` judges it from commit times: a pull request fails when

- it changes clusters of more than one wave (they all get it together), or
- it changes a component on wave N+1 less than the soak time after a commit of the base
  branch changed that component on wave N.

With Flux wave refs (`spec.rollout.flux.waveRefs`) a merge reaches no cluster; there,
`mcgen promote` refuses to move wave N+1 before wave N has run the commit for the soak
time, judged from the promotion log (the branch `mcgen/rollout-log`).

Fix: change one wave per pull request and wait for the soak between them, or stage with
wave refs and `mcgen promote`.

Example finding:

    fleets/acme.yaml:58:7: error: web changes on wave 2 (us-east) 5h00m after 3f2c1ab9d0e4
    'web 1.28.0 on the canaries' changed it on wave 1; spec.rollout.soak is 24h00m:
    merge after 2026-03-03T09:00+00:00 [rollout-soak]
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable, Iterator

from mcgen.changes import ObjectChange
from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.fleet.rollout import format_span
from mcgen.lint.subject import Subject
from mcgen.objects import ObjectRef
from mcgen.rollout.reach import reached_at_merge

ID = "rollout-soak"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet, changes = subject.fleet, subject.changes
    soak = fleet.rollout.soak if fleet else None
    if fleet is None or changes is None or not soak:
        return
    reached = set(reached_at_merge(fleet, changes))
    waves = sorted({fleet.clusters[name].wave for name in reached})
    if len(waves) > 1:
        yield subject.fleet_finding(
            _RULE, f"this change reaches waves {', '.join(map(str, waves))} at once; "
            f"spec.rollout.soak ({format_span(soak)}) asks that each wave get it only after the "
            "wave before has run it that long: change one wave per pull request, or stage "
            "with spec.rollout.flux.waveRefs", fleet.where("spec", "rollout", "soak"),
            "rollout")
        return
    yield from _too_soon(subject, fleet, soak, reached)


def _too_soon(subject: Subject, fleet: Fleet, soak: datetime.timedelta,
              reached: set[str]) -> Iterator[Finding]:
    assert subject.changes is not None
    component = {(o.cluster, o.ref): o.component for o in subject.objects}
    order = sorted({c.wave for c in fleet.clusters.values()})
    wave = next((fleet.clusters[c].wave for c in reached), order[0])
    if order.index(wave) == 0:
        return
    before = order[order.index(wave) - 1]
    earlier_clusters = {c for c, v in fleet.clusters.items() if v.wave == before}
    for name in sorted(_components(subject.changes.changes, component, reached)):
        for recent in subject.changes.recent:  # newest first
            age = subject.now - recent.time
            if age < soak and name in _components(recent.changes, component,
                                                  earlier_clusters):
                yield subject.fleet_finding(
                    _RULE, f"{name} changes on wave {wave} ({', '.join(sorted(reached))}) "
                    f"{format_span(age)} after {recent.revision.sha[:12]} "
                    f"{recent.revision.summary!r} changed it on wave {before}; "
                    f"spec.rollout.soak is {format_span(soak)}: merge after "
                    f"{(recent.time + soak).isoformat(timespec='minutes')}",
                    fleet.where_component(name), f"*/{name}")
                break


def _components(changes: Iterable[ObjectChange],
                component: dict[tuple[str | None, ObjectRef], str | None],
                clusters: set[str]) -> set[str]:
    """The components the changes alter on `clusters`."""
    found = (component.get((c.cluster, c.ref)) for c in changes if c.cluster in clusters)
    return {name for name in found if name}
