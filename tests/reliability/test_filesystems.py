"""A work tree, its git folder and its output folder on different file systems.

Found in review: with a worktree on another file system than its git folder (a tmpfs
in CI, say), the staged files could not be renamed into the tree after the commit
point: the render crashed (exit 3) and every later command failed replaying the journal.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, snapshot

INPUTS = ("fleets", "templates", "charts", "policies", "crds", "clusters", "secrets")


def mcgen(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mcgen", *args], cwd=repo, text=True,
                          capture_output=True, check=False)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args],
                          cwd=repo, text=True, capture_output=True, check=True).stdout


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "other-fs"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def change(repo: Path) -> None:
    spec = repo / "fleets/acme.yaml"
    spec.write_text(spec.read_text().replace("replicas: 3", "replicas: 5"))


def test_a_worktree_on_another_file_system_renders(tmp_path: Path, tmpfs: Path) -> None:
    main = tmp_path / "main"
    for name in INPUTS:
        shutil.copytree(ROOT / name, main / name)
    git(main, "init", "-q")
    git(main, "add", "-A")
    git(main, "commit", "-qm", "fleet")
    git(main, "worktree", "add", "-q", str(tmpfs / "wt"))
    worktree = tmpfs / "wt"
    change(worktree)
    result = mcgen(worktree, "render")
    assert result.returncode == 0, result.stderr
    assert mcgen(worktree, "render", "--check").returncode == 0
    untracked = git(worktree, "status", "--porcelain", "--untracked-files=all")
    assert all(line[3:].startswith(("clusters/", "fleets/")) for line in untracked.splitlines())


def test_an_output_folder_on_another_file_system_is_a_clear_error(tmp_path: Path,
                                                                  tmpfs: Path) -> None:
    repo = tmp_path / "repo"
    for name in INPUTS:
        shutil.copytree(ROOT / name, repo / name)
    shutil.copytree(repo / "clusters", tmpfs / "clusters")
    shutil.rmtree(repo / "clusters")
    (repo / "clusters").mkdir()
    subprocess.run(["mount", "--bind", str(tmpfs / "clusters"), str(repo / "clusters")],
                   check=True)
    try:
        before = snapshot(repo / "clusters")
        change(repo)
        result = mcgen(repo, "render")
        assert result.returncode == 2, result.stderr
        assert "another file system" in result.stderr and "unchanged" in result.stderr
        assert snapshot(repo / "clusters") == before
        assert mcgen(repo, "render", "--check", "--no-diff").returncode == 1
    finally:
        subprocess.run(["umount", "-l", str(repo / "clusters")], check=False)
