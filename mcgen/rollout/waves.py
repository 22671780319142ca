"""What each wave runs: the wave refs `mcgen/wave-<n>` and the promotion log.

With `spec.rollout.flux.waveRefs`, each wave's clusters apply the commit their branch
`mcgen/wave-<n>` names. `mcgen promote` moves one of those branches and appends an
entry to the branch `mcgen/rollout-log` (empty commits whose committer time is when the
promotion happened), so the time a wave reached a commit is in git, on the remote too,
and `rollout-soak` can judge it anywhere.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass

from mcgen import gitrepo
from mcgen.errors import UsageError
from mcgen.fleet.model import Fleet
from mcgen.pipeline import discover_specs, load_fleets

LOG_BRANCH = "mcgen/rollout-log"


def wave_branch(wave: int) -> str:
    return f"mcgen/wave-{wave}"


@dataclass(frozen=True)
class Source:
    """Where refs are read: local branches, or a remote's (after a fetch)."""

    repo: gitrepo.Repo
    remote: str | None = None

    def ref(self, branch: str) -> str:
        return f"{self.remote}/{branch}" if self.remote else f"refs/heads/{branch}"

    def sha(self, branch: str) -> str | None:
        return gitrepo.ref_sha(self.repo, self.ref(branch))


@dataclass(frozen=True)
class Plan:
    """The fleets that stage with wave refs, their branch, and their waves in order."""

    fleets: tuple[Fleet, ...]
    branch: str
    waves: tuple[int, ...]

    def clusters(self, wave: int) -> tuple[str, ...]:
        return tuple(c.name for f in self.fleets for c in f.clusters.values() if c.wave == wave)

    def previous(self, wave: int) -> int | None:
        index = self.waves.index(wave)
        return self.waves[index - 1] if index else None


@dataclass(frozen=True)
class WaveState:
    wave: int
    clusters: tuple[str, ...]
    sha: str | None  # None: the wave has no ref yet (it applies nothing)
    summary: str
    waiting: int  # commits the wave before it (or the branch) runs that this one does not
    since: datetime.datetime | None  # when this wave's ref last moved (promotion log)
    soaked_at: datetime.datetime | None = None  # when what waits will have soaked enough


def open_source(cwd: str, remote: str | None) -> Source:
    repo = gitrepo.open_repo(cwd)
    if remote:
        gitrepo.fetch(repo, remote, [fetch_spec(remote)])
    return Source(repo, remote)


def fetch_spec(remote: str) -> str:
    """Every branch of `remote`: the fleet's branch, the wave refs and the log."""
    return f"+refs/heads/*:refs/remotes/{remote}/*"


def load_plan(source: Source, branch: str | None = None) -> Plan:
    """The wave-staged fleets as committed at the head of their branch."""
    head = _branch_head(source, branch or _default_branch(source))
    with tempfile.TemporaryDirectory(prefix="mcgen-waves-") as folder:
        gitrepo.materialise(source.repo, head, folder)
        fleets = tuple(f for f in load_fleets(discover_specs((), folder))
                       if f.output.flux.wave_refs)
    if not fleets:
        raise UsageError("no fleet sets spec.rollout.flux.waveRefs: its waves have no refs "
                         "to promote (see docs/rollout.md)")
    branches = {f.output.revision for f in fleets}
    if len(branches) > 1:
        raise UsageError(f"the wave-staged fleets follow different branches "
                         f"({', '.join(sorted(branches))}); promote needs one")
    waves = tuple(sorted({c.wave for f in fleets for c in f.clusters.values()}))
    return Plan(fleets, branches.pop(), waves)


def _default_branch(source: Source) -> str:
    # The branch is named by the fleets; read them from the checked-out commit first.
    head = gitrepo.ref_sha(source.repo, "HEAD")
    if head is None:
        raise UsageError("this repository has no commit yet: commit the rendered fleet first")
    with tempfile.TemporaryDirectory(prefix="mcgen-waves-") as folder:
        gitrepo.materialise(source.repo, head, folder)
        specs = discover_specs((), folder)
        revisions = {f.output.revision for f in load_fleets(specs) if f.output.flux.wave_refs}
    return revisions.pop() if len(revisions) == 1 else "main"


def _branch_head(source: Source, branch: str) -> str:
    sha = source.sha(branch)
    if sha is None:
        where = f"on {source.remote}" if source.remote else "here"
        raise UsageError(f"branch {branch!r} does not exist {where}")
    return sha


def upstream_sha(source: Source, plan: Plan, wave: int) -> str | None:
    """What wave `wave` would be promoted to: the commit the wave before it runs, or the
    branch head for the first wave."""
    before = plan.previous(wave)
    return source.sha(plan.branch if before is None else wave_branch(before))


def states(source: Source, plan: Plan) -> list[WaveState]:
    """Every wave's commit, how far behind the wave before it, and since when."""
    log = gitrepo.records(source.repo, source.ref(LOG_BRANCH))
    found = []
    for wave in plan.waves:
        sha, upstream = source.sha(wave_branch(wave)), upstream_sha(source, plan, wave)
        waiting = len(gitrepo.commits_between(source.repo, sha, upstream)) if upstream else 0
        summary = gitrepo.resolve(source.repo, sha).summary if sha else ""
        soaked = _soaked_at(source, plan, wave, upstream) if waiting else None
        found.append(WaveState(wave, plan.clusters(wave), sha, summary, waiting,
                               _last_move(log, wave), soaked))
    return found


def _soaked_at(source: Source, plan: Plan, wave: int, upstream: str | None
               ) -> datetime.datetime | None:
    """When the wave before will have run `upstream` for the soak (None: no soak, the
    first wave, or no record of when it got there)."""
    before = plan.previous(wave)
    soaks = [f.rollout.soak for f in plan.fleets if f.rollout.soak]
    if before is None or upstream is None or not soaks:
        return None
    since = reached(source, before, upstream)
    return since + max(soaks) if since else None


def _last_move(log: list[tuple[str, datetime.datetime]], wave: int
               ) -> datetime.datetime | None:
    return next((when for message, when in log if parse_entry(message)[0] == wave), None)


def entry(wave: int, sha: str) -> str:
    return f"promote wave {wave} to {sha}"


def parse_entry(message: str) -> tuple[int | None, str]:
    parts = message.split()
    if len(parts) == 5 and parts[:2] == ["promote", "wave"] and parts[2].isdigit():
        return int(parts[2]), parts[4]
    return None, ""


def reached(source: Source, wave: int, sha: str) -> datetime.datetime | None:
    """Since when wave `wave` has run `sha` (or a commit after it) without a break, by the
    promotion log; None when the log does not show it there."""
    log = gitrepo.records(source.repo, source.ref(LOG_BRANCH))
    since = None
    for message, when in log:  # newest first
        logged_wave, target = parse_entry(message)
        if logged_wave != wave:
            continue
        if not gitrepo.contains(source.repo, target, sha):
            break
        since = when
    return since
