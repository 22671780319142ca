"""Reading committed states of a fleet repository. The only module that imports GitPython.

A revision is materialised into a temporary folder straight from git objects: the work
tree and the index are never touched, so a dirty checkout, a detached HEAD or a shallow
clone all work, and what is compared is exactly what was committed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import git

from mcgen.errors import UsageError

# What every fleet reads before its specs say more (each source names its own inputs:
# `mcgen.changes.committed_fleets` takes those too).
INPUT_FOLDERS = ("fleets", "templates", "policies", "crds", "values")


@dataclass(frozen=True)
class Revision:
    ref: str
    sha: str
    summary: str


def open_repo(path: str) -> git.Repo:
    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise UsageError(f"{path}: not inside a git repository") from exc


def top_level(repo: git.Repo) -> str:
    return str(repo.working_tree_dir)


def resolve(repo: git.Repo, ref: str) -> Revision:
    """The commit `ref` names, or a UsageError saying what to fetch."""
    try:
        commit = repo.commit(ref)
        commit.tree.hexsha  # noqa: B018 - in a shallow clone the parent is named but missing
        raw_summary = commit.summary
    except (git.BadName, ValueError, git.GitCommandError) as exc:
        raise UsageError(f"revision {ref!r} is not in this repository. "
                         f"{fetch_hint(repo, ref)}") from exc
    summary = raw_summary if isinstance(raw_summary, str) else raw_summary.decode()
    return Revision(ref, commit.hexsha, summary)


def fetch_hint(repo: git.Repo, ref: str) -> str:
    """Commands that, run as printed, bring `ref` into the repository."""
    remotes = [remote.name for remote in repo.remotes]
    remote, _, branch = ref.partition("/")
    if remote not in remotes or not branch:
        remote, branch = (remotes[0] if remotes else "origin"), ref
    shallow = os.path.exists(os.path.join(repo.git_dir, "shallow"))
    deepen = f"git fetch --deepen=200 {remote}"
    if _RELATIVE.search(ref):  # HEAD~1 and the like: only more history helps
        return (f"This is a shallow clone: fetch more history with `{deepen}` (or clone with "
                "fetch-depth: 0)." if shallow else f"{ref!r} names a commit this clone lacks.")
    fetch = (f"git fetch {remote} {branch}" if _SHA.fullmatch(branch)
             else f"git fetch {remote} {branch}:refs/remotes/{remote}/{branch}")
    if shallow:
        return (f"This is a shallow clone: fetch the base with `{fetch}` and the history "
                f"between them with `{deepen}` (or clone with fetch-depth: 0).")
    return f"Fetch it first: `{fetch}`."


_RELATIVE = re.compile(r"[~^@]|^HEAD$")
_SHA = re.compile(r"[0-9a-f]{7,40}")


def materialise(repo: git.Repo, sha: str, destination: str,
                folders: tuple[str, ...] = INPUT_FOLDERS) -> None:
    """Write the committed files of `folders` at `sha` under `destination`."""
    tree = repo.commit(sha).tree
    for folder in folders:
        try:
            subtree = tree / folder
        except KeyError:
            continue
        if isinstance(subtree, git.Blob):
            _write_blob(subtree, destination)
            continue
        for blob in subtree.traverse():
            if isinstance(blob, git.Blob):
                _write_blob(blob, destination)


def _write_blob(blob: git.Blob, destination: str) -> None:
    target = os.path.join(destination, blob.path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if blob.mode == 0o120000:  # a symlink: keep it a symlink, never follow it here
        os.symlink(blob.data_stream.read().decode(), target)
        return
    with open(target, "wb") as handle:
        blob.stream_data(handle)


def top_level_entries(repo: git.Repo, sha: str) -> tuple[str, ...]:
    """The names at the root of the commit's tree (folders and files)."""
    return tuple(str(item.name) for item in repo.commit(sha).tree)


def is_dirty(repo: git.Repo) -> bool:
    return bool(repo.is_dirty(untracked_files=False))


def head_description(repo: git.Repo) -> str:
    return "detached HEAD" if repo.head.is_detached else f"branch {repo.active_branch.name}"
