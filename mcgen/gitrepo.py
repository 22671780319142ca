"""Reading committed states of a fleet repository. The only module that imports GitPython.

A revision is materialised into a temporary folder straight from git objects: the work
tree and the index are never touched, so a dirty checkout, a detached HEAD or a shallow
clone all work, and what is compared is exactly what was committed.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcgen.errors import UsageError

if TYPE_CHECKING:
    import git
else:
    class _Deferred:
        """GitPython, imported when first used: a command that asks git nothing (a
        plain lint, a render) does not load it."""

        def __getattr__(self, name: str) -> object:
            import git as module

            return getattr(module, name)

    git = _Deferred()

# What every fleet reads before its specs say more (each source names its own inputs:
# `mcgen.changes.committed_fleets` takes those too).
INPUT_FOLDERS = ("fleets", "templates", "policies", "crds", "values")
if TYPE_CHECKING:
    Repo = git.Repo  # for callers' annotations: they never import GitPython themselves


def __getattr__(name: str) -> object:
    """`Repo` where an annotation is evaluated at run time."""
    if name == "Repo":
        return git.Repo
    raise AttributeError(name)


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


# Refs and history, for rollout waves (`mcgen promote`, `mcgen waves`, rollout-soak).

def ref_sha(repo: git.Repo, name: str) -> str | None:
    """The commit a ref names (`main`, `origin/mcgen/wave-1`), None when there is none."""
    try:
        return str(repo.commit(name).hexsha)
    except (git.BadName, ValueError, git.GitCommandError):
        return None


def contains(repo: git.Repo, descendant: str, ancestor: str) -> bool:
    """Whether `descendant` has `ancestor` in its history (or is it)."""
    if descendant == ancestor:
        return True
    return bool(repo.is_ancestor(repo.commit(ancestor), repo.commit(descendant)))


def commits_between(repo: git.Repo, old: str | None, new: str) -> list[Revision]:
    """The commits `new` has that `old` has not, newest first (`git log old..new`)."""
    span = f"{old}..{new}" if old else new
    return [Revision(c.hexsha[:12], c.hexsha, _summary(c)) for c in repo.iter_commits(span)]


def _summary(commit: git.Commit) -> str:
    raw = commit.summary
    return raw if isinstance(raw, str) else raw.decode()


def commit_time(repo: git.Repo, sha: str) -> datetime.datetime:
    """When the commit was made (its committer date), as an aware time."""
    return repo.commit(sha).committed_datetime.astimezone(datetime.UTC)


def first_parent_history(repo: git.Repo, sha: str, limit: int
                         ) -> list[tuple[Revision, datetime.datetime]]:
    """`sha` and its first parents, newest first, with their committer times."""
    found = []
    for commit in repo.iter_commits(sha, first_parent=True, max_count=limit):
        found.append((Revision(commit.hexsha[:12], commit.hexsha, _summary(commit)),
                      commit.committed_datetime.astimezone(datetime.UTC)))
    return found


def set_branch(repo: git.Repo, name: str, sha: str) -> None:
    """Point local branch `name` at `sha` (created if missing; the work tree is untouched)."""
    repo.git.update_ref(f"refs/heads/{name}", sha)


def record(repo: git.Repo, branch: str, message: str, when: datetime.datetime) -> str:
    """Append an empty commit saying `message` at `when` to `branch` (a log kept in git)."""
    parent = ref_sha(repo, f"refs/heads/{branch}")
    empty = repo.git.hash_object("-t", "tree", "-w", os.devnull)  # the empty tree
    stamp = when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
    env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
           "GIT_AUTHOR_NAME": "mcgen", "GIT_AUTHOR_EMAIL": "mcgen@localhost",
           "GIT_COMMITTER_NAME": "mcgen", "GIT_COMMITTER_EMAIL": "mcgen@localhost"}
    args = [empty, "-m", message, *(["-p", parent] if parent else [])]
    sha = str(repo.git.commit_tree(*args, env=env))
    set_branch(repo, branch, sha)
    return sha


def records(repo: git.Repo, ref: str, limit: int = 10_000
            ) -> list[tuple[str, datetime.datetime]]:
    """The messages of a log kept by `record` (at `ref`), newest first, with their times."""
    if ref_sha(repo, ref) is None:
        return []
    return [(_summary(c), c.committed_datetime.astimezone(datetime.UTC))
            for c in repo.iter_commits(ref, max_count=limit)]


def fetch(repo: git.Repo, remote: str, refspecs: list[str]) -> None:
    """Fetch `refspecs` from `remote`; a refspec whose source is missing there is skipped."""
    try:
        repo.git.fetch(remote, "--no-tags", "--prune", *refspecs)
    except git.GitCommandError as exc:
        raise UsageError(f"git fetch {remote} failed: {_stderr(exc)}") from exc


def push(repo: git.Repo, remote: str, updates: list[tuple[str, str, str | None]]) -> None:
    """Set refs on `remote`: (local sha, remote ref, the sha it must have now or None for
    'must not exist'), all or none (`--atomic`, `--force-with-lease` per ref)."""
    leases = [f"--force-with-lease={ref}:{old or ''}" for _, ref, old in updates]
    specs = [f"{sha}:{ref}" for sha, ref, _ in updates]
    try:
        repo.git.push("--atomic", "--porcelain", *leases, remote, *specs)
    except git.GitCommandError as exc:
        raise UsageError(f"git push {remote} failed (someone else moved a wave ref? fetch "
                         f"and try again): {_stderr(exc)}") from exc


def _stderr(exc: git.GitCommandError) -> str:
    text = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
    return " ".join(text.replace("stderr:", "").split()).strip("' ") or str(exc)
