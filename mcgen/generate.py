"""`mcgen render`: load fleets, render them, then write or check their trees."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from mcgen.errors import InputError
from mcgen.findings import Finding
from mcgen.fleet.discover import find_root, fleet_specs, named_specs
from mcgen.fleet.load import load_fleet, repo_root_of
from mcgen.fleet.model import Fleet
from mcgen.fleet.shared import shared_output_problems
from mcgen.location import Problem
from mcgen.output.drift import drift_findings
from mcgen.output.fastcheck import Index, load_index, remember, state_file, unchanged
from mcgen.output.layout import OutputFile, build_tree
from mcgen.output.reuse import Kept, Reuser, Stale
from mcgen.output.transaction import apply_plan, locked
from mcgen.output.tree import TreePlan, plan_tree
from mcgen.render.engine import RenderedFleet, render_fleet
from mcgen.render.memo import load_memo, save_memo


@dataclass(frozen=True)
class RenderRequest:
    specs: tuple[str, ...] = ()
    check: bool = False
    cwd: str = "."


@dataclass(frozen=True)
class FleetOutput:
    fleet: Fleet
    rendered: RenderedFleet = field(repr=False)
    files: dict[str, OutputFile] = field(repr=False)
    plan: TreePlan = field(repr=False)


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


def render_trees(fleets: list[Fleet]) -> list[tuple[Fleet, RenderedFleet, dict[str, OutputFile]]]:
    """Every fleet rendered whole, with its tree (for lint); every problem reported."""
    results = []
    for fleet, rendered, _ in _render_all(fleets, reuse=False):
        _keep_memo(rendered)
        results.append((fleet, rendered, build_tree(rendered)))
    return results


def _memo_file(fleet: Fleet) -> str:
    return state_file(fleet.root, os.path.join(fleet.root, fleet.spec_path), "render-*.json")


def _keep_memo(rendered: RenderedFleet) -> None:
    """Save the texts for the next run; a repository never rendered keeps no trace."""
    path = _memo_file(rendered.fleet)
    if rendered.memo is not None and os.path.isdir(os.path.dirname(path)):
        save_memo(rendered.memo, path)


def render(request: RenderRequest) -> RenderResult:
    """Render every fleet; write the trees unless `check`, in which case report drift."""
    specs = discover_specs(request.specs, request.cwd)
    names = tuple(os.path.splitext(os.path.basename(spec))[0] for spec in specs)
    if request.check and all(unchanged(repo_root_of(spec), spec) for spec in specs):
        return RenderResult((), (), written=False, specs=names)
    outputs = []
    for fleet, rendered, reuser in _render_all(load_fleets(specs), reuse=True):
        spec = os.path.join(fleet.root, fleet.spec_path)
        with locked(fleet.root, create=not request.check) as state:
            rendered, files, plan = _plan(fleet, rendered, reuser)
            if not request.check:
                apply_plan(plan, state)
                _keep_memo(rendered)
            if not request.check or plan.clean:
                remember(fleet.root, spec, plan, rendered.cluster_keys, reuser.index.known,
                         values_files(fleet))
        outputs.append(FleetOutput(fleet, rendered, files, plan))
    findings = [f for out in outputs for f in drift_findings(out.plan)] if request.check else []
    return RenderResult(tuple(outputs), tuple(findings), written=not request.check, specs=names)


def values_files(fleet: Fleet) -> tuple[str, ...]:
    """The values files the fleet reads (`valuesFiles:`), for the no-op fingerprint."""
    return tuple(path for path in fleet.inputs if not path.startswith(fleet.spec_path))


def _render_all(fleets: list[Fleet], reuse: bool) -> list[tuple[Fleet, RenderedFleet, Reuser]]:
    """Every fleet rendered, with the previous run's texts; with `reuse`, but the clusters
    its index shows unchanged. Every problem of every fleet is reported together."""
    results = []
    problems: list[Problem] = []
    for fleet in fleets:
        spec = os.path.join(fleet.root, fleet.spec_path)
        reuser = Reuser(fleet, load_index(fleet.root, spec) if reuse else Index.empty())
        try:
            memo = load_memo(_memo_file(fleet))
            # A first render (no cluster keys recorded) has nothing to reuse.
            rendered = render_fleet(fleet, memo, reuser if reuser.index.clusters else None)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        results.append((fleet, rendered, reuser))
    if problems:
        raise InputError(problems)
    return results


def _plan(fleet: Fleet, rendered: RenderedFleet, reuser: Reuser
          ) -> tuple[RenderedFleet, dict[str, OutputFile], TreePlan]:
    """The plan of the fleet's tree; the fleet is rendered whole again if a cluster it
    reused turns out to have changed on disk since the index recorded it."""
    files = build_tree(rendered)
    index = reuser.index
    try:
        planned: dict[str, OutputFile | Kept] = {**files, **reuser.kept(rendered.reused)}
        return rendered, files, plan_tree(fleet.root, fleet.name, fleet.spec_path,
                                          fleet.output.dir, planned, index.known)
    except Stale:
        rendered = render_fleet(fleet, rendered.memo)
        files = build_tree(rendered)
        return rendered, files, plan_tree(fleet.root, fleet.name, fleet.spec_path,
                                          fleet.output.dir, files, index.known)
