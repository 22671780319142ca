"""Every guard of `output/pathsafety.unsafe`, reached directly (issue #16: mutation
testing found its last guard, a file standing where a folder must go, never reached)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mcgen.output.pathsafety import unsafe
from mcgen.output.tree import FileStat


def check(root: Path, path: str, info: FileStat | None = None) -> list[str]:
    real = os.path.realpath(root)
    return [p.message for p in unsafe(str(root), real, path, info, {})]


@pytest.mark.parametrize("path", ["/etc/passwd", "../x", "a/../../x", "a/./b", "a//b",
                                  "a/b\x00"])
def test_a_path_leaving_by_name_is_refused(tmp_path: Path, path: str) -> None:
    assert check(tmp_path, path) == ["refusing to write outside the output folder"]


def test_a_folder_where_the_file_goes(tmp_path: Path) -> None:
    (tmp_path / "clusters/a/x.yaml").mkdir(parents=True)
    info = FileStat.of(os.lstat(tmp_path / "clusters/a/x.yaml"))
    assert check(tmp_path, "clusters/a/x.yaml", info) == [
        "is a folder where mcgen writes a file; move it away"]


@pytest.mark.parametrize("depth", [1, 2])
def test_a_file_where_a_folder_goes(tmp_path: Path, depth: int) -> None:
    """The last guard: `clusters` (or `clusters/a`) is a file."""
    blocker = "clusters" if depth == 1 else "clusters/a"
    (tmp_path / blocker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / blocker).write_text("in the way")
    assert check(tmp_path, "clusters/a/x.yaml") == [
        f"{blocker} is a file where mcgen needs a folder; move it away"]


@pytest.mark.parametrize(("target", "where"), [("inside", "elsewhere in the repository"),
                                               ("outside", "outside the repository")])
def test_a_symlinked_folder(tmp_path: Path, target: str, where: str) -> None:
    root = tmp_path / "repo"
    (root / "clusters").mkdir(parents=True)
    destination = root / ".git" if target == "inside" else tmp_path / "elsewhere"
    destination.mkdir()
    os.symlink(destination, root / "clusters/a")
    found = check(root, "clusters/a/x.yaml")
    assert len(found) == 1 and f"a symlink leading {where}" in found[0], found
    assert str(destination) in found[0]


def test_a_clean_path_is_fine_and_each_folder_is_looked_at_once(tmp_path: Path) -> None:
    (tmp_path / "clusters/a").mkdir(parents=True)
    folders: dict[str, str] = {}
    real = os.path.realpath(tmp_path)
    assert unsafe(str(tmp_path), real, "clusters/a/x.yaml", None, folders) == []
    assert unsafe(str(tmp_path), real, "clusters/a/y.yaml", None, folders) == []
    assert folders == {"clusters": "", "clusters/a": ""}
    assert unsafe(str(tmp_path), real, "new/b/c.yaml", None, folders) == []  # not there yet
