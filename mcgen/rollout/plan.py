"""The rollout plan of a pull request (`mcgen ci`): which waves it reaches when it
merges, and, with Flux wave refs, what each wave runs and what `mcgen promote` carries
to it next."""

from __future__ import annotations

from dataclasses import dataclass

from mcgen import gitrepo
from mcgen.changes import ChangeSet
from mcgen.fleet.model import Fleet
from mcgen.rollout.reach import reached_at_merge
from mcgen.rollout.waves import Source, wave_branch


@dataclass(frozen=True)
class WaveLine:
    wave: int
    clusters: tuple[str, ...]
    touched: tuple[str, ...]  # the clusters of this wave the change alters
    at_merge: bool  # they apply it when it merges
    runs: gitrepo.Revision | None = None  # wave refs: what the wave runs now
    next: tuple[gitrepo.Revision, ...] = ()  # wave refs: what promoting it would carry


@dataclass(frozen=True)
class FleetPlan:
    fleet: str
    how: str  # how a change travels on this fleet's engine, in one sentence
    waves: tuple[WaveLine, ...]
    refs_found: bool = True  # wave refs: the refs were in the clone


def rollout_plans(repo_path: str, changes: ChangeSet, fleets: list[Fleet]) -> list[FleetPlan]:
    repo = gitrepo.open_repo(repo_path)
    return [_plan(repo, changes, fleet) for fleet in fleets]


def _plan(repo: gitrepo.Repo, changes: ChangeSet, fleet: Fleet) -> FleetPlan:
    at_merge = set(reached_at_merge(fleet, changes))
    touched = {c for c in changes.touched() if c in fleet.clusters}
    staged = fleet.output.engine == "flux" and fleet.output.flux.wave_refs
    source = _source(repo) if staged else None
    lines = []
    previous: str | None = changes.base.sha
    for wave in sorted({c.wave for c in fleet.clusters.values()}):
        members = tuple(n for n, c in fleet.clusters.items() if c.wave == wave)
        line = WaveLine(wave, members, tuple(n for n in members if n in touched),
                        bool(at_merge & set(members)))
        if source is not None:
            runs = source.sha(wave_branch(wave))
            line = _with_refs(source, line, runs, previous)
            previous = runs
        lines.append(line)
    return FleetPlan(fleet.name, _how(fleet), tuple(lines),
                     source is not None or not staged)


def _source(repo: gitrepo.Repo) -> Source | None:
    """Local wave branches, else origin's (a CI clone has only those, once fetched)."""
    for remote in (None, "origin"):
        candidate = Source(repo, remote)
        if candidate.sha(wave_branch(1)) or candidate.sha("mcgen/rollout-log"):
            return candidate
    return None


def _with_refs(source: Source, line: WaveLine, runs: str | None, upstream: str | None
               ) -> WaveLine:
    if upstream is None:
        return line
    carried = (tuple(gitrepo.commits_between(source.repo, runs, upstream))
               if runs != upstream else ())
    current = gitrepo.resolve(source.repo, runs) if runs else None
    return WaveLine(line.wave, line.clusters, line.touched, line.at_merge, current, carried)


def _how(fleet: Fleet) -> str:
    engine = fleet.output.engine
    if engine == "flux" and fleet.output.flux.wave_refs:
        return ("Flux with wave refs: merging changes no cluster; each wave applies its "
                "branch mcgen/wave-<n> once `mcgen promote --wave <n>` moves it")
    if engine == "argocd" and fleet.output.argocd.application_set:
        return ("Argo CD ApplicationSet: on merge, RollingSync syncs the waves one after "
                "another (each once the one before is healthy)")
    return (f"{engine}: on merge every cluster the change alters applies it; waves stage "
            "nothing (docs/rollout.md)")
