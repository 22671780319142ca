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
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from mcgen.findings import Finding, Severity
from mcgen.lint.pending import Running
from mcgen.lint.subject import LintObject, Subject
from mcgen.rollout.versions import Version, parse_version, running
from mcgen.yaml.source import PathKey

ID = "rollout-order"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]
# Subject.memo: the versions of clusters an incremental lint remembers instead of
# rendering (`mcgen.lint.incremental`), as `Seen` without an object.
ELSEWHERE = "rollout-elsewhere"


class Seen(NamedTuple):
    """One versioned thing a cluster runs; `order` is where a whole run meets it
    (images before charts, then by file, line, and place in the object)."""

    order: tuple[int, str, int, int]
    cluster: str
    component: str
    what: str
    version: str
    obj: LintObject | None = None
    at: PathKey = ()


def seen(subject: Subject) -> list[Seen]:
    """Every version the subject's objects run, in run order."""
    found: list[Seen] = []
    places: dict[tuple[int, str, int], int] = {}
    for item in running(subject):
        kind = 0 if item.what.startswith("image ") else 1
        place = (kind, item.obj.path, item.obj.line)
        places[place] = places.get(place, -1) + 1
        found.append(Seen((*place, places[place]), item.cluster, item.component, item.what,
                          item.version, item.obj, item.at))
    return found


def _all_seen(subject: Subject) -> list[Seen]:
    """The subject's versions, and those remembered of the clusters it leaves out."""
    elsewhere = subject.memo.get(ELSEWHERE)
    if not isinstance(elsewhere, list) or not elsewhere:
        return seen(subject)
    return sorted([*seen(subject), *elsewhere], key=lambda item: item.order)


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None or subject.shard is not None:
        return  # a shard's versions are compared with the others' at `--merge` (`facts`)
    wave = {name: c.wave for name, c in fleet.clusters.items()}
    for item, oldest in _ahead(_all_seen(subject), wave):
        if item.obj is not None:
            yield subject.finding(_RULE, item.obj, _message(item, oldest, wave), item.at)


def facts(subject: Subject, placed: bool = True) -> list[Running]:
    """A shard's versions (`mcgen.lint.pending`), each with the finding it would make,
    message left out (None where it can make none; for all, unless `placed`: placing a
    finding reads its object's document, and a lint in parts places only those of the
    versions found ahead, `ahead`)."""
    fleet = subject.fleet
    assert fleet is not None
    first = min(cluster.wave for cluster in fleet.clusters.values())
    wave = {name: cluster.wave for name, cluster in fleet.clusters.items()}
    # Nothing of the first wave can be ahead of an earlier one: no finding to place.
    return [Running(item.order, item.cluster, wave[item.cluster], item.component, item.what,
                    item.version, subject.finding(_RULE, item.obj, "", item.at)
                    if placed and item.obj and wave[item.cluster] > first else None)
            for item in seen(subject) if parse_version(item.version) is not None]


def ahead(items: list[Running]) -> set[str]:
    """The clusters of one fleet's versions that run something ahead of an earlier wave."""
    return {item.cluster for item, _ in _ahead_of_facts(items, _waves(items))}


def merged(items: list[Running]) -> Iterator[Finding]:
    """The findings of one fleet's versions, from every shard's `facts`."""
    wave = _waves(items)
    found = {item.order: item.finding for item in items}
    for item, oldest in _ahead_of_facts(items, wave):
        finding = found[item.order]
        if finding is not None:
            yield finding._replace(message=_message(item, oldest, wave))


def _ahead_of_facts(items: list[Running], wave: Mapping[str, int]
                    ) -> Iterator[tuple[Seen, Seen]]:
    return _ahead([Seen(i.order, i.cluster, i.component, i.what, i.version) for i in items],
                  wave)


def _waves(items: list[Running]) -> dict[str, int]:
    return {item.cluster: item.wave for item in items}


def _ahead(everything: list[Seen], wave: Mapping[str, int]) -> Iterator[tuple[Seen, Seen]]:
    """Each versioned item newer than the oldest of every earlier wave, with that oldest
    one (`everything` in run order)."""
    by_thing: dict[tuple[str, str], list[Seen]] = {}
    for item in everything:
        if parse_version(item.version) is not None:
            by_thing.setdefault((item.component, item.what), []).append(item)
    for items in by_thing.values():
        yield from _ahead_of_waves(items, wave)


def _ahead_of_waves(items: list[Seen], wave: Mapping[str, int]
                    ) -> Iterator[tuple[Seen, Seen]]:
    """One pass over the waves: a fleet of 1,000 clusters must not compare every pair."""
    by_wave: dict[int, list[Seen]] = {}
    for item in items:
        by_wave.setdefault(wave[item.cluster], []).append(item)
    oldest: Seen | None = None  # the oldest of all waves before the current one
    for number in sorted(by_wave):
        for item in by_wave[number]:
            if oldest is not None and _version(item) > _version(oldest):
                yield item, oldest
        here = min(by_wave[number], key=_version)
        oldest = here if oldest is None or _version(here) < _version(oldest) else oldest


def _message(item: Seen, oldest: Seen, wave: Mapping[str, int]) -> str:
    return (f"{item.component} on {item.cluster} (wave {wave[item.cluster]}) runs {item.what} "
            f"{item.version}, newer than {oldest.cluster} (wave {wave[oldest.cluster]}), "
            f"which runs {oldest.version}: a later wave must not run what an earlier wave "
            "has not")


def _version(item: Seen) -> Version:
    return parse_version(item.version) or ((), 0, "")
