"""Shared fixtures: the project root, ../shared/corpora, and an in-process CLI runner."""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """mcgen's user cache (compiled templates, `mcgen.sources.jinja.compiled`) in a
    folder of this session's, not the developer's: the tests' repositories are many."""
    before = os.environ.get("MCGEN_CACHE_DIR")
    os.environ["MCGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("MCGEN_CACHE_DIR", None)
    else:
        os.environ["MCGEN_CACHE_DIR"] = before


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="Rewrite golden trees from the current output (review the diff!).")


class Run(NamedTuple):
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """Run `mcgen ARGS` in-process, as a user would, and capture its exit code and output."""
    from mcgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        os.chdir(previous)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is absent (a user's checkout): corpus tests skipped")
    return CORPORA


@pytest.fixture
def example_repo(tmp_path: Path) -> Iterator[Path]:
    """A copy of the shipped example fleet repository (fleets, templates, crds, policies)."""
    for name in ("fleets", "templates", "charts", "policies", "crds", "clusters", "secrets"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    if (ROOT / ".sops.yaml").exists():
        shutil.copy(ROOT / ".sops.yaml", tmp_path / ".sops.yaml")
    yield tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), less mcgen's state folder."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".mcgen" not in p.parts
    }


def cold_tree(repo: Path, tmp_path: Path) -> dict[str, bytes]:
    """The tree a render with no memory at all (no state folder, no tree) produces for
    the repo's inputs: what every warm render must equal."""
    fresh = tmp_path / "fresh"
    for name in ("fleets", "templates", "charts", "crds", "policies", "secrets"):
        if (repo / name).exists():
            shutil.copytree(repo / name, fresh / name)
    assert run_cli("render", "-q", cwd=fresh).code == 0
    return snapshot(fresh / "clusters")


sys.path.insert(0, str(ROOT / "tests"))
