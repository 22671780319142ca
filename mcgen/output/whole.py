"""`mcgen render` of whole fleets, a part at a time: the memory of a render is its
largest part's, not its fleet's.

A fleet with more clusters to render than `PART_CLUSTERS` is rendered, planned and
staged `PART_CLUSTERS` clusters at a time, each part in its own clusters' folders (as
`render --shard` plans them), then the files beside the cluster folders; each part lets
its objects and texts go once it is staged. Nothing is written before every part of
every fleet is staged and found sound: then one commit per repository makes the tree
(`mcgen.output.transaction.Staging`), all or nothing, as a render of one part does. The
problems of all parts are reported together, those of the earliest step that found any
(render, then tree, then plan), as a render of one part reports them.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from mcgen.errors import InputError
from mcgen.fleet.model import Fleet
from mcgen.location import Problem
from mcgen.output.caches import FleetCache
from mcgen.output.files import KnownFile, Wanted
from mcgen.output.joined import Bytes, Joined, joined
from mcgen.output.layout import build_tree
from mcgen.output.ownership import legacy_record
from mcgen.output.transaction import Staging, locked
from mcgen.output.tree import Scope, TreePlan, plan_tree
from mcgen.render.engine import FleetRender, RenderedFleet

PART_CLUSTERS = 400  # about 200 MiB of objects and texts at 20 components a cluster

RENDER, TREE, PLAN = 0, 1, 2  # the steps a part goes through, in order


@dataclass(frozen=True)
class FleetOutput:
    fleet: Fleet
    rendered: RenderedFleet = field(repr=False)  # its objects: none when rendered in parts
    plan: TreePlan = field(repr=False)
    kept: int = 0  # the files of the clusters kept, which the plan passed over


class Problems:
    """The problems of every part, by the step that found them."""

    def __init__(self) -> None:
        self.found: dict[int, list[Problem]] = {}

    def add(self, step: int, problems: Sequence[Problem]) -> None:
        if problems:
            self.found.setdefault(step, []).extend(problems)

    def before(self, step: int) -> bool:
        """Whether a step before `step` (or `step` itself) found any: then no part needs
        to go through `step`, its findings would not be reported."""
        return any(earlier <= step for earlier in self.found)

    def raise_any(self) -> None:
        if self.found:
            raise InputError(self.found[min(self.found)])


def render_whole(fleets: list[Fleet], check: bool) -> list[FleetOutput]:
    """Every fleet rendered; written, unless `check`, once all are staged and sound."""
    caches = [FleetCache(fleet, reuse=True) for fleet in fleets]  # before the lock
    roots = list(dict.fromkeys(fleet.root for fleet in fleets))
    with contextlib.ExitStack() as stack:
        states = {root: stack.enter_context(locked(root, create=not check)) for root in roots}
        stagings = {root: Staging(state) for root, state in states.items()}
        try:
            outputs = _staged(fleets, caches, stagings, check)
            if not check:
                for root in roots:
                    stagings[root].commit(joined([o.plan for o in outputs
                                                  if o.fleet.root == root]))
        except BaseException:
            for staging in stagings.values():
                staging.abandon()
            raise
        for out, cache in zip(outputs, caches, strict=True):
            cache.keep(out.rendered, out.plan, check=check)
    return outputs


def _staged(fleets: list[Fleet], caches: list[FleetCache], stagings: dict[str, Staging],
            check: bool) -> list[FleetOutput]:
    problems = Problems()
    outputs = [_fleet(fleet, cache, None if check else stagings[fleet.root], problems)
               for fleet, cache in zip(fleets, caches, strict=True)]
    problems.raise_any()
    return outputs


def _fleet(fleet: Fleet, cache: FleetCache, staging: Staging | None, problems: Problems
           ) -> FleetOutput:
    """One fleet rendered, planned and staged (`staging`; None for a check) part by part."""
    whole = FleetRender(fleet, cache)
    known = cache.known(whole.reused)
    together = Joined(fleet.root, fleet.name, Bytes.ALL if staging is None else Bytes.NONE)
    for clusters, scope, fleet_files in _parts(fleet, whole, cache):
        part = whole.part(clusters)
        problems.add(RENDER, part.problems)
        plan = _planned(fleet, part.rendered, known, (scope, fleet_files), problems)
        if plan is not None:
            if staging is not None:
                staging.add(plan)
            together.add(plan)
    return FleetOutput(fleet, whole.of((), frozenset(fleet.clusters)), together.plan(),
                       cache.kept_files(whole.reused))


def plan_in_parts(fleet: Fleet, files: Mapping[str, Wanted], known: Mapping[str, KnownFile]
                  ) -> TreePlan:
    """The plan of the whole tree `files` (a lint's compare with the tree on disk), made
    `PART_CLUSTERS` clusters' folders at a time, then the files beside them: only one
    part's bytes are held at once. Of the files it changes it keeps the new bytes only
    where a file exists (`drift_findings` points at the line that differs)."""
    folders = {cluster: folder for cluster, folder in zip(
        fleet.clusters, _folders(fleet, fleet.clusters), strict=True)}
    record = os.path.join(fleet.root, legacy_record(fleet.name, fleet.output.dir))
    if len(folders) <= PART_CLUSTERS or os.path.lexists(record):
        return plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir, files,
                         known)
    by_folder: dict[str, dict[str, Wanted]] = {}
    top = posixpath.normpath(fleet.output.dir) + "/"
    for path, planned in files.items():
        cluster, slash, _ = path.removeprefix(top).partition("/")
        folder = folders.get(cluster) if slash and path.startswith(top) else None
        by_folder.setdefault(folder or "", {})[path] = planned
    together = Joined(fleet.root, fleet.name, Bytes.EDITED)
    names = list(folders.values())
    for start in range(0, len(names), PART_CLUSTERS):
        chunk = sorted(names[start:start + PART_CLUSTERS])
        mine = {p: f for folder in chunk for p, f in by_folder.get(folder, {}).items()}
        together.add(plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir,
                               mine, known, Scope(tuple(chunk))))
    together.add(plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir,
                           by_folder.get("", {}), known, Scope(skip=frozenset(names))))
    return together.plan()


def _folders(fleet: Fleet, clusters: Iterable[str]) -> list[str]:
    top = posixpath.normpath(fleet.output.dir)
    return [posixpath.join(top, cluster) for cluster in clusters]


def _parts(fleet: Fleet, whole: FleetRender, cache: FleetCache
           ) -> Iterator[tuple[list[str], Scope, bool]]:
    """The parts of the render: their clusters, where each plan looks, and whether it
    holds the files beside the cluster folders. One part when the fleet is small (or an
    old mcgen's ownership record, which lists files of every folder, is still there)."""
    todo = [cluster for cluster in fleet.clusters if cluster not in whole.reused]
    record = os.path.join(fleet.root, legacy_record(fleet.name, fleet.output.dir))
    if len(todo) <= PART_CLUSTERS or os.path.lexists(record):
        yield todo, Scope(skip=cache.folders_of(whole.reused)), True
        return
    for start in range(0, len(todo), PART_CLUSTERS):
        clusters = todo[start:start + PART_CLUSTERS]
        yield clusters, Scope(tuple(sorted(cache.folders_of(clusters)))), False
    yield [], Scope(skip=cache.folders_of(fleet.clusters)), True


def _planned(fleet: Fleet, rendered: RenderedFleet, known: Mapping[str, KnownFile],
             how: tuple[Scope, bool], problems: Problems) -> TreePlan | None:
    """The part's tree and plan; None when a step before found problems (this part's
    own are added to them)."""
    scope, fleet_files = how
    if problems.before(RENDER):
        return None
    try:
        files = build_tree(rendered, fleet_files=fleet_files)
    except InputError as exc:
        problems.add(TREE, exc.problems)
        return None
    if problems.before(TREE):
        return None
    try:
        return plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir, files,
                         known, scope)
    except InputError as exc:
        problems.add(PLAN, exc.problems)
        return None
