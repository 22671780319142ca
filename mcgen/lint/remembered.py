"""Lint a fleet reusing what the last lint found where nothing it depends on changed
(`mcgen.lint.incremental` says when that holds), and leave the memo for the next one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import NamedTuple

from mcgen.findings import Finding
from mcgen.fleet.model import Fleet
from mcgen.lint.incremental import (
    COUNTED,
    ClusterMemo,
    LintMemo,
    cluster_of,
    disk_digests,
    fleet_facts,
    kept_units,
    memo_from_json,
    memo_keys,
    memo_to_json,
    remembered_versions,
)
from mcgen.lint.parts import PartLint, merged
from mcgen.lint.rules.rollout_order import ELSEWHERE
from mcgen.lint.subject import Subject
from mcgen.output.caches import FleetCache, read_lint_memo, write_lint_memo
from mcgen.output.subtrees import TreeJudge
from mcgen.render.engine import RenderedFleet, TextsOnly, render_fleet
from mcgen.render.memo import RenderMemo
from mcgen.render.pairs import ClusterKey, all_facts, known_keys
from mcgen.sources.registry import start_runs

# The fleet rendered (all of it, or all but `reused`), its subject, and the rules' findings.
MakeSubject = Callable[[RenderedFleet], Subject]
RunRules = Callable[[Subject], list[Finding]]
InParts = Callable[[Fleet, "TreeJudge | None"], "list[PartLint] | None"]
Keys = Mapping[str, ClusterKey]  # `known_keys`: each cluster's and its pieces'


class FleetLint(NamedTuple):
    findings: list[Finding]
    objects: int
    linted: frozenset[str]  # the clusters rendered and linted now (the rest remembered)


class _Keep(TextsOnly):
    """A Recall that keeps the clusters chosen beforehand (their findings are reused)."""

    def __init__(self, texts: RenderMemo, clusters: frozenset[str]) -> None:
        super().__init__(texts, keeps_clusters=bool(clusters))
        self.clusters = clusters

    def may_keep(self, keys: Mapping[str, str]) -> frozenset[str]:
        return self.clusters.intersection(keys)


def lint_fleet(fleet: Fleet, context: str, subject_of: MakeSubject, check: RunRules,
               in_parts: InParts | None = None, judge: TreeJudge | None = None
               ) -> FleetLint:
    """The fleet's findings (as a whole lint gives them), linting only the clusters the
    memo cannot answer for; the memo is rewritten for the next run. `context` is
    `incremental.context_key` of the fleet and the request; `in_parts` lints a large
    fleet in parts (`mcgen.lint.parts`) where all of it must be linted; `judge`: the
    tree judged since the run began (`mcgen.output.caches.judge_ahead`)."""
    cache = FleetCache(fleet, reuse=False)  # the texts of the last run
    disks = disk_digests(fleet, judge)
    memo = _usable(fleet, context)
    keys = _keys(fleet, cache) if memo is not None else {}
    kept = _choose(fleet, memo, keys, disks) if memo is not None else frozenset()
    if memo is not None and kept:
        partial = _partial(fleet, (cache, keys), memo, kept, (subject_of, check))
        if partial is not None:
            result, learnt = partial
            _save(fleet, learnt, disks, memo)
            return result
    parts = in_parts(fleet, judge) if in_parts is not None else None
    if parts is not None:
        return _from_parts(fleet, context, parts, disks)
    rendered = render_fleet(fleet, TextsOnly(cache.texts))
    cache.keep(rendered)
    subject = subject_of(rendered)
    found = check(subject)
    _save(fleet, _memo_of(context, subject, rendered, found), disks)
    return FleetLint(found, len(subject.objects), frozenset(fleet.clusters))


def _keys(fleet: Fleet, cache: FleetCache) -> Keys:
    """Each cluster's render key: the last render's where its facts are unchanged."""
    runs = start_runs(fleet)
    recorded, printed = cache.last_render()
    return known_keys(fleet, runs, recorded, all_facts(fleet, runs, printed) if printed else {})


def _usable(fleet: Fleet, context: str) -> LintMemo | None:
    text = read_lint_memo(fleet)
    return memo_from_json(text, context) if text is not None else None


def _choose(fleet: Fleet, memo: LintMemo, keys: Keys, disks: Mapping[str, str]
            ) -> frozenset[str]:
    """The clusters whose findings the memo may give (their keys as recorded)."""
    render_keys = {cluster: known.key for cluster, known in keys.items()}
    return kept_units(fleet, memo, memo_keys(fleet, render_keys), disks)


def _partial(fleet: Fleet, known: tuple[FleetCache, Keys], memo: LintMemo,
             kept: frozenset[str], run: tuple[MakeSubject, RunRules]
             ) -> tuple[FleetLint, LintMemo] | None:
    """The lint of the clusters not kept, with the memo's findings for the rest; None
    when a fleet-wide fact changed (then only a whole lint knows)."""
    (cache, keys), (subject_of, check) = known, run
    rendered = render_fleet(fleet, _Keep(cache.texts, kept), made=keys)
    cache.keep(rendered)
    subject = replace(subject_of(rendered), remembered=kept)
    subject.memo[ELSEWHERE] = remembered_versions(memo, kept)
    found = check(subject)
    fresh = _memo_of(memo.context, subject, rendered, found)
    if any(c not in memo.clusters or fresh.clusters[c].facts != memo.clusters[c].facts
           for c in fresh.clusters):
        return None
    mine = [f for f in found if cluster_of(fleet, f.location.path) not in kept | {None}]
    reused = [f for c in sorted(kept) for f in memo.clusters[c].findings]
    outside = [*(f for f in fresh.outside if f.rule not in COUNTED),
               *(f for f in memo.outside if f.rule in COUNTED)]
    objects = len(subject.objects) + sum(memo.clusters[c].objects for c in kept)
    linted = frozenset(fleet.clusters) - kept
    return (FleetLint([*mine, *reused, *outside], objects, linted),
            LintMemo(memo.context, tuple(outside), {**_kept(memo, kept), **fresh.clusters}))


def _kept(memo: LintMemo, kept: frozenset[str]) -> dict[str, ClusterMemo]:
    return {cluster: memo.clusters[cluster] for cluster in kept}


def _from_parts(fleet: Fleet, context: str, parts: list[PartLint],
                disks: Mapping[str, str]) -> FleetLint:
    """The findings of a lint in parts, and the memo of all its clusters."""
    done = merged(parts)
    memo = _with_findings(fleet, context, {c: e for p in parts for c, e in p.memo.items()},
                          done.findings)
    _save(fleet, memo, disks)
    return FleetLint(done.findings, done.objects, frozenset(fleet.clusters))


def part_memo(context: str, subject: Subject, rendered: RenderedFleet) -> dict[str, ClusterMemo]:
    """What the memo keeps of a part's clusters, their findings left out (`_from_parts`
    puts the merged ones in)."""
    return dict(_memo_of(context, subject, rendered, []).clusters)


def _with_findings(fleet: Fleet, context: str, clusters: Mapping[str, ClusterMemo],
                   found: list[Finding]) -> LintMemo:
    by_cluster: dict[str, list[Finding]] = {}
    outside: list[Finding] = []
    for finding in found:
        cluster = cluster_of(fleet, finding.location.path)
        (by_cluster.setdefault(cluster, []) if cluster else outside).append(finding)
    return LintMemo(context, tuple(outside), {
        name: replace(entry, findings=tuple(by_cluster.get(name, ())))
        for name, entry in clusters.items()})


def _memo_of(context: str, subject: Subject, rendered: RenderedFleet, found: list[Finding]
             ) -> LintMemo:
    """What this run learnt of the clusters it linted (their disk digests come later)."""
    fleet = rendered.fleet
    items, facts = fleet_facts(subject)
    linted = [c for c in fleet.clusters if c not in rendered.reused and c not in rendered.outside]
    keys = memo_keys(fleet, {c: known.key for c, known in rendered.cluster_keys.items()})
    clusters = {c: ClusterMemo(keys.get(c, ""), "", facts.get(c, ""),
                               tuple(items.get(c, ())), (), len(subject.by_cluster.get(c, ())))
                for c in linted}
    return _with_findings(fleet, context, clusters, found)


def _save(fleet: Fleet, memo: LintMemo, disks: Mapping[str, str],
          previous: LintMemo | None = None) -> None:
    """Keep `memo` (its clusters' disk digests from `disks`) for the next lint, unless it
    is `previous`, the memo this lint read (nothing changed: nothing to write)."""
    clusters = {name: replace(entry, disk=disks.get(name, "")) if not entry.disk else entry
                for name, entry in memo.clusters.items()}
    learnt = replace(memo, clusters=clusters)
    if learnt != previous:
        write_lint_memo(fleet, memo_to_json(learnt))
