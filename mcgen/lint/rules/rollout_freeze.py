"""rollout-freeze: a change reaches a cluster during one of its freeze windows.

`spec.rollout.freeze` lists windows (`from` up to, not including, `to`) in which the
clusters, zones or waves they name take no change: a holiday, a quarter close, a
migration. A time without an offset is in the fleet's `spec.rollout.timeZone` (UTC by
default). In `mcgen ci` a pull request whose rendered change reaches a frozen cluster
now fails, pointing at the window. With Flux wave refs a merge reaches no cluster, and
`mcgen promote` refuses to move a frozen wave instead.

Fix: wait for the window to end, or leave the frozen clusters out of the change.

Example finding:

    fleets/acme.yaml:112:7: error: this change reaches eu-west, frozen from
    2026-12-20T00:00+01:00 to 2027-01-04T00:00+01:00 (Europe/Berlin): year-end change
    freeze [rollout-freeze]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.fleet.rollout import frozen_clusters
from mcgen.lint.subject import Subject
from mcgen.rollout.reach import reached_at_merge

ID = "rollout-freeze"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet, changes = subject.fleet, subject.changes
    if fleet is None or changes is None:
        return
    reached = reached_at_merge(fleet, changes)
    rollout = fleet.rollout
    for window in rollout.freeze:
        times = rollout.window_times(window)
        hit = [name for name in frozen_clusters(fleet, window) if name in reached]
        if times is None or not hit or not times[0] <= subject.now < times[1]:
            continue
        start, end = (t.isoformat(timespec="minutes") for t in times)
        yield subject.fleet_finding(
            _RULE, f"this change reaches {', '.join(hit)}, frozen from {start} to {end} "
            f"({rollout.time_zone}): {window.reason}",
            fleet.where("spec", "rollout", "freeze", window.index), "rollout")
