"""Real git repositories in temporary folders, made by `mcgen init`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import run_cli

IDENTITY = ["-c", "user.email=dev@example.com", "-c", "user.name=Dev", "-c",
            "commit.gpgsign=false"]


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *IDENTITY, *args], cwd=repo, text=True, capture_output=True,
                          check=check)


def new_repo(path: Path) -> Path:
    assert run_cli("init", str(path)).code == 0
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "fleet from mcgen init")
    return path


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


def edit(repo: Path, path: str, old: str, new: str) -> None:
    target = repo / path
    text = target.read_text()
    assert old in text, f"{old!r} not in {path}"
    target.write_text(text.replace(old, new, 1))


def render(repo: Path) -> None:
    result = run_cli("render", "-q", cwd=repo)
    assert result.code == 0, result.err
