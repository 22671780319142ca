"""Byte-for-byte determinism: the order files are listed on disk and the hash seed
change nothing in the rendered tree or in lint reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, snapshot

INPUTS = ("fleets", "templates", "charts", "policies", "crds", "secrets")


def copy_in_order(target: Path, reverse: bool) -> None:
    """Copy the example's inputs, creating every folder's entries in the given order."""
    def copy(source: Path, destination: Path) -> None:
        destination.mkdir(parents=True)
        for child in sorted(source.iterdir(), reverse=reverse):
            if child.is_dir():
                copy(child, destination / child.name)
            else:
                shutil.copyfile(child, destination / child.name)

    for name in sorted(INPUTS, reverse=reverse):
        copy(ROOT / name, target / name)


def mcgen(repo: Path, seed: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "mcgen", *args], cwd=repo, text=True,
                          capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
                          check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def listings(repo: Path) -> list[list[str]]:
    return [os.listdir(folder) for folder, _, _ in sorted(os.walk(repo / "templates"))]


@pytest.fixture
def listing_folder(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs lists a folder in the order its entries were made (ext4 in hash order)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                             capture_output=True, check=False).returncode == 0
    yield mount
    if mounted:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_listing_order_and_hash_seed_change_nothing(listing_folder: Path) -> None:
    forward, backward = listing_folder / "forward", listing_folder / "backward"
    copy_in_order(forward, reverse=False)
    copy_in_order(backward, reverse=True)
    if listings(forward) == listings(backward):
        pytest.skip("this file system lists folders in an order creation does not change")
    reports = []
    for repo, seed in ((forward, "1"), (backward, "2"), (backward, "31337")):
        mcgen(repo, seed, "render", "-q")
        reports.append(mcgen(repo, seed, "lint", "--format", "json"))
    assert snapshot(forward / "clusters") == snapshot(backward / "clusters")
    assert reports[0] == reports[1] == reports[2]


class Reversed:
    """os.scandir's iterator, in reverse: a file system that lists the other way round."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = iter(entries)

    def __enter__(self) -> Reversed:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        return self

    def __next__(self) -> os.DirEntry[str]:
        return next(self.entries)

    def close(self) -> None:
        return None


def test_reversed_directory_listings_change_nothing(example_repo: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    first = snapshot(example_repo / "clusters")
    lint_first = run_cli("lint", "--format", "json", cwd=example_repo).out
    shutil.rmtree(example_repo / "clusters")
    real_listdir, real_scandir = os.listdir, os.scandir

    def listdir(path: str = ".") -> list[str]:
        return list(reversed(real_listdir(path)))

    def scandir(path: str = ".") -> Reversed:
        with real_scandir(path) as entries:
            return Reversed(list(reversed(list(entries))))

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", scandir)
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    lint_second = run_cli("lint", "--format", "json", cwd=example_repo).out
    monkeypatch.undo()
    assert snapshot(example_repo / "clusters") == first
    assert lint_second == lint_first
