"""`mcgen promote --wave N`: move wave N's ref to the commit wave N-1 runs.

The first wave is promoted to the head of the branch the fleet follows. Promotion
refuses to skip a wave (the wave before has no ref, or has not reached the commit asked
for), to move a wave sideways onto a commit that is not in the history of where it
stands, to cut a soak short (`spec.rollout.soak`), and to reach a frozen cluster.
With `push`, the remote is fetched first, and the wave ref and the log entry are
pushed together (atomically, each with a lease on the value fetched).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mcgen import gitrepo
from mcgen.errors import UsageError
from mcgen.fleet.rollout import format_span, frozen_clusters
from mcgen.rollout import waves
from mcgen.rollout.waves import LOG_BRANCH, Plan, Source, wave_branch


@dataclass(frozen=True)
class PromoteRequest:
    wave: int
    cwd: str = "."
    to: str | None = None  # a commit the wave before has reached (default: what it runs)
    push: bool = False
    remote: str = "origin"
    now: datetime.datetime | None = None  # for tests; the clock otherwise


@dataclass(frozen=True)
class Promotion:
    wave: int
    clusters: tuple[str, ...]
    old: str | None
    new: str
    carried: tuple[gitrepo.Revision, ...]  # the commits the wave gains, newest first
    rollback: bool  # the wave moves back to an earlier commit
    pushed: bool


def promote(request: PromoteRequest) -> Promotion:
    source = waves.open_source(request.cwd, request.remote if request.push else None)
    plan = waves.load_plan(source)
    if request.wave not in plan.waves:
        raise UsageError(f"the fleet has no wave {request.wave} (waves: "
                         f"{', '.join(map(str, plan.waves))})")
    now = request.now or datetime.datetime.now(datetime.UTC)
    target = _target(source, plan, request)
    old = source.sha(wave_branch(request.wave))
    rollback = _direction(source, request.wave, old, target)
    if not rollback:
        _soaked(source, plan, request.wave, target, now)
    _not_frozen(plan, request.wave, now)
    carried = tuple(gitrepo.commits_between(source.repo, old, target)) if old != target else ()
    if old != target:
        _move(source, request, old, target, now)
    return Promotion(request.wave, plan.clusters(request.wave), old, target, carried,
                     rollback, request.push)


def _target(source: Source, plan: Plan, request: PromoteRequest) -> str:
    before = plan.previous(request.wave)
    upstream = waves.upstream_sha(source, plan, request.wave)
    if upstream is None:
        raise UsageError(f"wave {before} has no ref yet ({wave_branch(before or 0)}): promote "
                         f"wave {before} first; waves are promoted in order")
    if request.to is None:
        return upstream
    target = gitrepo.resolve(source.repo, request.to).sha
    if not gitrepo.contains(source.repo, upstream, target):
        what = f"wave {before}" if before is not None else f"branch {plan.branch}"
        raise UsageError(f"{what} has not reached {target[:12]}: promote wave {before} to it "
                         "first; a wave never runs what the wave before it has not run"
                         if before is not None else
                         f"{target[:12]} is not on {what}: merge it there first")
    return target


def _direction(source: Source, wave: int, old: str | None, target: str) -> bool:
    """True for a rollback; refuses a move onto another line of history."""
    if old is None or gitrepo.contains(source.repo, target, old):
        return False
    if gitrepo.contains(source.repo, old, target):
        return True
    raise UsageError(f"wave {wave} runs {old[:12]}, which is not in the history of "
                     f"{target[:12]}: a promotion only moves a wave forward along the branch "
                     "(or back with --to)")


def _soaked(source: Source, plan: Plan, wave: int, target: str,
            now: datetime.datetime) -> None:
    before = plan.previous(wave)
    soak = max((f.rollout.soak or datetime.timedelta() for f in plan.fleets),
               default=datetime.timedelta())
    if before is None or not soak:
        return
    since = waves.reached(source, before, target)
    if since is None:
        raise UsageError(f"the promotion log ({LOG_BRANCH}) does not show when wave {before} "
                         f"reached {target[:12]}, so its soak ({format_span(soak)}) cannot be "
                         f"judged; promote wave {before} with `mcgen promote` first")
    if now - since < soak:
        raise UsageError(f"wave {before} has run {target[:12]} for "
                         f"{format_span(now - since)}, less than spec.rollout.soak "
                         f"({format_span(soak)}); promote wave {wave} after "
                         f"{(since + soak).isoformat(timespec='minutes')}")


def _not_frozen(plan: Plan, wave: int, now: datetime.datetime) -> None:
    members = set(plan.clusters(wave))
    for fleet in plan.fleets:
        for window in fleet.rollout.freeze:
            times = fleet.rollout.window_times(window)
            hit = members & set(frozen_clusters(fleet, window))
            if times and times[0] <= now < times[1] and hit:
                raise UsageError(
                    f"{fleet.where('spec', 'rollout', 'freeze', window.index)}: wave {wave} "
                    f"is frozen until {times[1].isoformat(timespec='minutes')} "
                    f"({', '.join(sorted(hit))}): {window.reason}")


def _move(source: Source, request: PromoteRequest, old: str | None, target: str,
          now: datetime.datetime) -> None:
    repo, branch = source.repo, wave_branch(request.wave)
    if request.push:
        log_old = source.sha(LOG_BRANCH)
        if log_old:
            gitrepo.set_branch(repo, LOG_BRANCH, log_old)
    log = gitrepo.record(repo, LOG_BRANCH, waves.entry(request.wave, target), now)
    if request.push:
        remote = request.remote
        gitrepo.push(repo, remote, [(target, f"refs/heads/{branch}", old),
                                    (log, f"refs/heads/{LOG_BRANCH}", log_old)])
        gitrepo.fetch(repo, remote, [waves.fetch_spec(remote)])
    gitrepo.set_branch(repo, branch, target)
