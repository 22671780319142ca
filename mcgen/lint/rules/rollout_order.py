"""rollout-order: a later wave runs a newer version of a component than an earlier wave.

Waves exist so that a new version meets a few clusters first. When a cluster of wave 2
runs `web:1.28.0` while a cluster of wave 1 still runs `web:1.27.3` (an override, a
cluster value, a group value), the new version skips the canaries: it reaches wave 2
first. Container image tags and Helm chart versions (the `helm.sh/chart` label) are
compared as versions (`1.10.0` is newer than `1.9.2`, `2.0.0-rc1` older than `2.0.0`);
tags that are no version (`latest`, `stable`) and digests are not compared.

Fix: give the earlier wave the new version first (or the later wave the old one).

Example finding:

    clusters/us-east/web/deployment-web.yaml:21:16: error: web on us-east (wave 2) runs
    image registry.example.com/web 1.28.0, newer than us-west (wave 1), which runs 1.27.3:
    a later wave must not run what an earlier wave has not [rollout-order]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject
from mcgen.rollout.versions import Running, Version, parse_version, running

ID = "rollout-order"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    by_thing: dict[tuple[str, str], list[Running]] = {}
    for item in running(subject):
        if parse_version(item.version) is not None:
            by_thing.setdefault((item.component, item.what), []).append(item)
    for items in by_thing.values():
        yield from _ahead(subject, items)


def _ahead(subject: Subject, items: list[Running]) -> Iterator[Finding]:
    """Each item newer than the oldest of every earlier wave (one pass over the waves:
    a fleet of 1,000 clusters must not compare every pair)."""
    assert subject.fleet is not None
    wave = {name: c.wave for name, c in subject.fleet.clusters.items()}
    by_wave: dict[int, list[Running]] = {}
    for item in items:
        by_wave.setdefault(wave[item.cluster], []).append(item)
    oldest: Running | None = None  # the oldest of all waves before the current one
    for number in sorted(by_wave):
        for item in by_wave[number]:
            if oldest is not None and _version(item) > _version(oldest):
                yield subject.finding(
                    _RULE, item.obj, f"{item.component} on {item.cluster} (wave {number}) "
                    f"runs {item.what} {item.version}, newer than {oldest.cluster} (wave "
                    f"{wave[oldest.cluster]}), which runs {oldest.version}: a later wave "
                    "must not run what an earlier wave has not", item.at)
        here = min(by_wave[number], key=_version)
        oldest = here if oldest is None or _version(here) < _version(oldest) else oldest


def _version(item: Running) -> Version:
    return parse_version(item.version) or ((), 0, "")
