"""Where mcgen keeps its state (lock, journal, staging, caches): a module of its own that
imports nothing, so the no-op check (`mcgen.output.noop`) can find it at start-up."""

from __future__ import annotations

import os

JOURNAL = "journal.json"


def state_dir(root: str) -> str:
    """Where the lock, journal and staging live: inside the git folder when there is one.

    A linked worktree or submodule has a `.git` file naming its git folder instead.
    """
    git = os.path.join(root, ".git")
    if os.path.isfile(git):
        with open(git, encoding="utf-8", errors="replace") as handle:
            first = handle.readline().strip()
        if first.startswith("gitdir:"):
            git = os.path.join(root, first.removeprefix("gitdir:").strip())
    # Staged files are renamed into the tree: a git folder on another file system (a
    # worktree on a tmpfs, say) cannot hold them.
    if os.path.isdir(git) and os.stat(git).st_dev == os.stat(root).st_dev:
        return os.path.join(git, "mcgen")
    return os.path.join(root, ".mcgen")
