"""The pipeline: load the fleets, render each component through its source, plan the
tree, then write it or compare it with the one on disk (`mcgen render`, and `lint`'s
render). What mcgen remembers between runs answers from `mcgen.output.caches`."""

from __future__ import annotations

import os
from dataclasses import dataclass

from mcgen.errors import InputError
from mcgen.findings import Finding
from mcgen.fleet.discover import find_root, fleet_specs, named_specs
from mcgen.fleet.load import load_fleet
from mcgen.fleet.model import Fleet
from mcgen.fleet.shared import shared_output_problems
from mcgen.location import Problem
from mcgen.output.caches import FleetCache, judging, unchanged
from mcgen.output.drift import drift_findings
from mcgen.output.layout import OutputFile, build_tree
from mcgen.output.sharding import shard_clusters, shard_scope
from mcgen.output.transaction import apply_plan, locked
from mcgen.output.tree import plan_tree
from mcgen.output.whole import FleetOutput, render_whole
from mcgen.render.engine import RenderedFleet, render_fleet


@dataclass(frozen=True)
class RenderRequest:
    specs: tuple[str, ...] = ()
    check: bool = False
    cwd: str = "."
    shard: tuple[int, int] | None = None  # K, N: render only shard K of N (`--shard`)


@dataclass(frozen=True)
class RenderResult:
    outputs: tuple[FleetOutput, ...]
    findings: tuple[Finding, ...]
    written: bool
    specs: tuple[str, ...] = ()  # the fleet specs' names, for messages

    @property
    def diff(self) -> str:
        return "".join(out.plan.diff() for out in self.outputs)


def discover_specs(paths: tuple[str, ...], cwd: str) -> list[str]:
    """The fleet specs named (relative to `cwd`), or every fleet of the repository that
    `cwd` lies in, found from any folder below its root (`mcgen.fleet.discover`)."""
    if paths:
        return named_specs(paths, cwd)
    return fleet_specs(find_root(cwd))


def load_fleets(specs: list[str]) -> list[Fleet]:
    """Every fleet, with every problem of every spec reported together."""
    fleets: list[Fleet] = []
    problems: list[Problem] = []
    for spec in specs:
        try:
            fleets.append(load_fleet(spec))
        except InputError as exc:
            problems.extend(exc.problems)
    problems.extend(shared_output_problems(fleets))
    if problems:
        raise InputError(problems)
    return fleets


def render_trees(fleets: list[Fleet], shard: tuple[int, int] | None = None
                 ) -> list[tuple[Fleet, RenderedFleet, dict[str, OutputFile]]]:
    """Every fleet rendered whole, with its tree (for lint); with `shard` (K, N), only
    that shard's clusters, and the files beside their folders for the first shard
    alone (`mcgen.output.sharding`). Every problem is reported."""
    results = []
    for fleet, rendered, cache in _render_all(fleets, reuse=False, shard=shard, recorded=True):
        if shard is None:
            cache.keep(rendered)  # a shard's texts are a part: they would drop the rest
        results.append((fleet, rendered,
                        build_tree(rendered, fleet_files=shard is None or shard[0] == 1)))
    return results


def render(request: RenderRequest) -> RenderResult:
    """Render every fleet; write the trees unless `check`, in which case report drift."""
    specs = discover_specs(request.specs, request.cwd)
    names = tuple(os.path.splitext(os.path.basename(spec))[0] for spec in specs)
    if request.check and all(unchanged(spec) for spec in specs):
        return RenderResult((), (), written=False, specs=names)
    if request.shard is not None:
        return _render_shard(request, load_fleets(specs), request.shard, names)
    with judging(specs) as judges:  # the tree's stats, taken while the fleets load
        outputs = render_whole(load_fleets(specs), request.check, judges)
    findings = [f for out in outputs for f in drift_findings(out.plan)] if request.check else []
    return RenderResult(tuple(outputs), tuple(findings), written=not request.check, specs=names)


def _render_shard(request: RenderRequest, fleets: list[Fleet], shard: tuple[int, int],
                  names: tuple[str, ...]) -> RenderResult:
    """Each fleet's shard `shard` rendered, and written unless `check` (see
    `mcgen.output.sharding`); every problem of every fleet is reported together."""
    rendered_all: list[tuple[Fleet, RenderedFleet, FleetCache]] = []
    problems: list[Problem] = []
    for fleet in fleets:
        cache = FleetCache(fleet, reuse=False)
        try:
            rendered_all.append((fleet, render_fleet(fleet, cache, shard_clusters(fleet, shard)),
                                 cache))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    outputs = [_write_shard(fleet, rendered, cache, shard[0] == 1, request.check)
               for fleet, rendered, cache in rendered_all]
    findings = [f for out in outputs for f in drift_findings(out.plan)] if request.check else []
    return RenderResult(tuple(outputs), tuple(findings), written=not request.check, specs=names)


def _write_shard(fleet: Fleet, rendered: RenderedFleet, cache: FleetCache, first: bool,
                 check: bool) -> FleetOutput:
    """One fleet's shard planned in its own folders, and written unless `check`. A
    shard records no index: it saw only its part of the tree."""
    files = build_tree(rendered, fleet_files=first)
    scope = shard_scope(fleet, frozenset(fleet.clusters).difference(rendered.outside), first)
    with locked(fleet.root, create=not check) as state:
        plan = plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir, files,
                         scope=scope)
        if not check:
            apply_plan(plan, state)
            cache.forget()
        cache.keep(rendered, check=check)
    return FleetOutput(fleet, rendered, plan)


def _render_all(fleets: list[Fleet], reuse: bool, shard: tuple[int, int] | None = None,
                recorded: bool = False) -> list[tuple[Fleet, RenderedFleet, FleetCache]]:
    """Every fleet rendered, with the previous run's texts; with `reuse`, but the clusters
    its caches may keep; with `shard`, only that shard's clusters; with `recorded`, the
    clusters unchanged since the last render from their recorded pieces (`FleetCache`).
    Every problem of every fleet is reported together."""
    results = []
    problems: list[Problem] = []
    for fleet in fleets:
        cache = FleetCache(fleet, reuse, recorded=recorded)
        only = shard_clusters(fleet, shard) if shard else None
        try:
            rendered = render_fleet(fleet, cache, only)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        results.append((fleet, rendered, cache))
    if problems:
        raise InputError(problems)
    return results
