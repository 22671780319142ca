"""What the base branch changed lately, for `rollout-soak` in `mcgen ci`.

Without wave refs a merge reaches its clusters at once, so soak is judged from commit
times: the commits on the base's first-parent line inside the soak window are rendered
with their parents and compared, like the pull request itself.
"""

from __future__ import annotations

import datetime
import itertools
import os
import tempfile
from dataclasses import replace

from mcgen import gitrepo
from mcgen.changes import ChangeSet, Key, RecentChange, compare, rendered_at
from mcgen.errors import InputError
from mcgen.fleet.model import Fleet
from mcgen.pipeline import discover_specs, load_fleets

MAX_COMMITS = 20  # a window holding more is judged on its newest 20 (each is a render)


def longest_soak(fleets: list[Fleet]) -> datetime.timedelta | None:
    soaks = [f.rollout.soak for f in fleets if f.rollout.soak]
    return max(soaks) if soaks else None


def head_fleets(repo_path: str, sha: str, within: str = ".") -> list[Fleet]:
    repo = gitrepo.open_repo(repo_path)
    with tempfile.TemporaryDirectory(prefix="mcgen-soak-") as folder:
        gitrepo.materialise(repo, sha, folder)
        root = os.path.normpath(os.path.join(folder, within))
        return load_fleets(discover_specs((), root)) if os.path.isdir(
            os.path.join(root, "fleets")) else []


def with_history(changes: ChangeSet, repo_path: str, now: datetime.datetime,
                 within: str = ".") -> ChangeSet:
    """`changes` with the base's commits of the last soak period, when a fleet has one."""
    soak = longest_soak(head_fleets(repo_path, changes.head.sha, within))
    if soak is None:
        return changes
    return replace(changes, recent=recent_changes(repo_path, changes.base.sha, now - soak,
                                                  within))


def recent_changes(repo_path: str, base: str, since: datetime.datetime, within: str = "."
                   ) -> tuple[RecentChange, ...]:
    """The base's first-parent commits made at or after `since`, newest first."""
    repo = gitrepo.open_repo(repo_path)
    line = gitrepo.first_parent_history(repo, base, MAX_COMMITS + 1)
    rendered: dict[str, dict[Key, dict[str, object]] | None] = {}

    def objects(sha: str) -> dict[Key, dict[str, object]] | None:
        if sha not in rendered:
            rendered[sha] = _objects(repo_path, sha, within)
        return rendered[sha]

    found = []
    for (revision, when), (parent, _) in itertools.pairwise(line):
        if when < since:
            break
        old, new = objects(parent.sha), objects(revision.sha)
        if old is not None and new is not None:
            found.append(RecentChange(revision, when, tuple(compare(old, new))))
    return tuple(found)


def _objects(repo_path: str, sha: str, within: str) -> dict[Key, dict[str, object]] | None:
    """The objects a commit renders; None for one that does not render (a broken commit
    long merged must not fail today's pull request: it is left out of the judgement)."""
    try:
        return rendered_at(repo_path, sha, within)[1]
    except InputError:
        return None
