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
from typing import NamedTuple

from mcgen.errors import InputError
from mcgen.fleet.model import Fleet
from mcgen.location import Problem
from mcgen.output.caches import FleetCache
from mcgen.output.files import KnownFile, Wanted
from mcgen.output.joined import Bytes, Joined, compact, joined
from mcgen.output.layout import build_tree
from mcgen.output.ownership import legacy_record
from mcgen.output.sharding import shard_scope
from mcgen.output.subtrees import TreeJudge
from mcgen.output.transaction import Staging, locked
from mcgen.output.tree import Scope, TreePlan, plan_tree
from mcgen.parallel import jobs, map_parts
from mcgen.render.engine import FleetRender, Learnt, RenderedFleet
from mcgen.sources.registry import SOURCES

PART_CLUSTERS = 400  # about 200 MiB of objects and texts at 20 components a cluster

RENDER, TREE, PLAN = 0, 1, 2  # the steps a part goes through, in order


@dataclass(frozen=True)
class FleetOutput:
    fleet: Fleet
    rendered: RenderedFleet = field(repr=False)  # its objects: none when rendered in parts
    plan: TreePlan = field(repr=False)
    kept: int = 0  # the files of the clusters kept, which the plan passed over


class Problems:
    """The problems of every part, by the step that found them (and those `earlier`
    parts found, which a part that goes on from them sees too)."""

    def __init__(self, earlier: Problems | None = None) -> None:
        self.found: dict[int, list[Problem]] = {}
        self.earlier = earlier

    def add(self, step: int, problems: Sequence[Problem]) -> None:
        if problems:
            self.found.setdefault(step, []).extend(problems)

    def merge(self, found: Mapping[int, Sequence[Problem]]) -> None:
        for step, problems in sorted(found.items()):
            self.add(step, problems)

    def before(self, step: int) -> bool:
        """Whether a step before `step` (or `step` itself) found any: then no part needs
        to go through `step`, its findings would not be reported."""
        return any(earlier <= step for earlier in self.found) or (
            self.earlier is not None and self.earlier.before(step))

    def raise_any(self) -> None:
        if self.found:
            raise InputError(self.found[min(self.found)])


def render_whole(fleets: list[Fleet], check: bool,
                 judges: Mapping[str, TreeJudge] | None = None) -> list[FleetOutput]:
    """Every fleet rendered; written, unless `check`, once all are staged and sound.
    `judges`: the trees judged since the run began, by spec path (`judge_ahead`)."""
    judges = judges or {}
    caches = [FleetCache(fleet, reuse=True,  # before the lock
                         judge=judges.get(os.path.join(fleet.root, fleet.spec_path)))
              for fleet in fleets]
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
            cache.keep(out.rendered, out.plan, check=check,
                       landed=stagings[out.fleet.root].landed)
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
    keep = Bytes.ALL if staging is None else Bytes.NONE
    together = Joined(fleet.root, fleet.name, keep)
    todo = [cluster for cluster in fleet.clusters if cluster not in whole.reused]
    side = _side_by_side(whole, todo)
    divisions = list(_divisions(fleet, todo, whole.reused, side))
    for done in _parts_done(Parts(whole, known, divisions, staging, keep), side, problems):
        problems.merge(done.problems)
        if done.learnt is not None:  # from another process: this one lacks it
            whole.learn(done.learnt)
            if staging is not None:
                staging.took(done.moves)
        if done.plan is not None:
            together.add(done.plan)
    return FleetOutput(fleet, whole.of((), frozenset(fleet.clusters)), together.plan(),
                       cache.kept_files(whole.reused))


class Parts(NamedTuple):
    """A fleet's render in parts: what each part is rendered, planned and staged with."""

    whole: FleetRender
    known: Mapping[str, KnownFile]
    divisions: list[Division]
    staging: Staging | None
    keep: Bytes  # what a plan sent from another process keeps of the bytes it writes


class PartDone(NamedTuple):
    """A part rendered, planned and staged: what the rest of the render needs of it."""

    number: int
    problems: dict[int, list[Problem]]
    plan: TreePlan | None  # None when a step found problems (this part's or earlier)
    moves: list[list[str]]  # what it staged (`Staging.add`)
    learnt: Learnt | None = None  # what another process's render learnt


def _side_by_side(whole: FleetRender, todo: list[str]) -> int:
    """How many processes render the fleet's parts side by side: one a core when there
    are parts enough for two and every source's run survives a fork."""
    if len(todo) <= PART_CLUSTERS or not hasattr(os, "fork") or not all(
            SOURCES[kind].forkable for kind in whole.runs):
        return 1
    return min(jobs(), -(-len(todo) // MIN_SIDE_CLUSTERS))


MIN_SIDE_CLUSTERS = 200  # below this a process costs more to fork than it saves


def _parts_done(parts: Parts, side: int, problems: Problems) -> Iterator[PartDone]:
    """Each part done, in order: one after the other here, or shared out among `side`
    processes (their plans sent back compacted, `mcgen.output.joined.compact`)."""
    numbers = list(range(len(parts.divisions)))
    if side < 2:
        for number in numbers:  # the caller merges each part's problems before the next
            yield _part_done(parts, number, problems)
        return
    parent = os.getpid()

    def share(mine: Sequence[int]) -> list[PartDone]:
        seen = Problems(problems)  # what went before, then this process's parts
        done: list[PartDone] = []
        for number in mine:
            mark = parts.whole.mark()
            part = _part_done(parts, number, seen)
            seen.merge(part.problems)
            plan = None if part.plan is None else compact(part.plan, parts.keep)
            learnt = (parts.whole.learnt(mark, parts.divisions[number].clusters)
                      if os.getpid() != parent else None)
            done.append(part._replace(plan=plan, learnt=learnt))
        return done

    shares = [numbers[start::side] for start in range(side)]  # handed out in turn
    yield from sorted(map_parts(share, shares), key=_number)


def _number(done: PartDone) -> int:
    return done.number


def _part_done(parts: Parts, number: int, problems: Problems) -> PartDone:
    division = parts.divisions[number]
    found = Problems(problems)
    part = parts.whole.part(division.clusters)
    found.add(RENDER, part.problems)
    plan = _planned(parts.whole.fleet, part.rendered, parts.known, division, found)
    moves = (parts.staging.add(plan, number)
             if plan is not None and parts.staging is not None else [])
    return PartDone(number, found.found, plan, moves)


def plan_in_parts(fleet: Fleet, files: Mapping[str, Wanted], known: Mapping[str, KnownFile],
                  shard: tuple[frozenset[str], bool] | None = None) -> TreePlan:
    """The plan of the whole tree `files` (a lint's compare with the tree on disk), made
    in the parts a render of every cluster takes (`_divisions`): only one part's bytes
    are held at once. Of the files it changes it keeps the new bytes only where a file
    exists (`drift_findings` points at the line that differs). With `shard` (its
    clusters, and whether it is the first), the plan of that shard's share of the tree
    (`mcgen.output.sharding`), in parts too."""
    parts = list(_divisions(fleet, list(fleet.clusters), frozenset()) if shard is None
                 else _shard_divisions(fleet, *shard))
    if len(parts) == 1:
        return plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir, files,
                         known, parts[0].scope)
    part_of = {cluster: number for number, part in enumerate(parts) for cluster in part.clusters}
    beside = len(parts) - 1  # the last part: the files beside the cluster folders, if any
    shares: list[dict[str, Wanted]] = [{} for _ in parts]
    top = posixpath.normpath(fleet.output.dir) + "/"
    for path, planned in files.items():
        cluster, slash, _ = path.removeprefix(top).partition("/")
        inside = slash and path.startswith(top)
        shares[part_of.get(cluster, beside) if inside else beside][path] = planned
    together = Joined(fleet.root, fleet.name, Bytes.EDITED)
    for part, share in zip(parts, shares, strict=True):
        together.add(plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir,
                               share, known, part.scope))
    return together.plan()


class Division(NamedTuple):
    """One part of a render: its clusters, where its plan looks, and whether it holds
    the files beside the cluster folders."""

    clusters: list[str]
    scope: Scope
    beside: bool


def _divisions(fleet: Fleet, todo: list[str], kept: frozenset[str], side: int = 1
               ) -> Iterator[Division]:
    """The parts of a render of `todo` (the clusters not `kept`): one when they are few
    (or an old mcgen's ownership record, which lists files of every folder, is still
    there), else at most `PART_CLUSTERS` at a time in their own folders (as many parts
    of equal size as keep `side` processes equally busy), then the rest."""
    record = os.path.join(fleet.root, legacy_record(fleet.name, fleet.output.dir))
    if len(todo) <= PART_CLUSTERS or os.path.lexists(record):
        yield Division(todo, Scope(skip=_folders_of(fleet, kept)), True)
        return
    count = -(-len(todo) // PART_CLUSTERS)
    count += -count % side
    size = -(-len(todo) // count)
    for start in range(0, len(todo), size):
        clusters = todo[start:start + size]
        yield Division(clusters, Scope(tuple(sorted(_folders_of(fleet, clusters)))), False)
    yield Division([], Scope(skip=_folders_of(fleet, fleet.clusters)), True)


def _shard_divisions(fleet: Fleet, mine: frozenset[str], first: bool) -> Iterator[Division]:
    """The parts of a shard's plan: its clusters' folders, `PART_CLUSTERS` at a time,
    then, for the first shard, everything beside them; one part where an old mcgen's
    ownership record is still there."""
    if os.path.lexists(os.path.join(fleet.root, legacy_record(fleet.name, fleet.output.dir))):
        yield Division(sorted(mine), shard_scope(fleet, mine, first), first)
        return
    todo = [cluster for cluster in fleet.clusters if cluster in mine]
    for start in range(0, len(todo), PART_CLUSTERS):
        clusters = todo[start:start + PART_CLUSTERS]
        yield Division(clusters, Scope(tuple(sorted(_folders_of(fleet, clusters)))), False)
    if first:
        yield Division([], Scope(skip=_folders_of(fleet, fleet.clusters)), True)
    elif not todo:  # a shard with no cluster: a plan that looks nowhere
        yield Division([], Scope(()), False)


def _folders_of(fleet: Fleet, clusters: Iterable[str]) -> frozenset[str]:
    top = posixpath.normpath(fleet.output.dir)
    return frozenset(posixpath.join(top, cluster) for cluster in clusters)


def _planned(fleet: Fleet, rendered: RenderedFleet, known: Mapping[str, KnownFile],
             division: Division, problems: Problems) -> TreePlan | None:
    """The part's tree and plan; None when a step before found problems (this part's
    own are added to them)."""
    if problems.before(RENDER):
        return None
    try:
        files = build_tree(rendered, fleet_files=division.beside)
    except InputError as exc:
        problems.add(TREE, exc.problems)
        return None
    if problems.before(TREE):
        return None
    try:
        return plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir, files,
                         known, division.scope)
    except InputError as exc:
        problems.add(PLAN, exc.problems)
        return None
