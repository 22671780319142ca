"""Every command finds the fleet repository from any folder below it, as git does, and
prints the same thing from there as from the root (paths relative to the root)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from workflows.gitfixture import commit_all, git

SUBFOLDERS = ("templates/storefront", "clusters/us-west/storefront", "fleets")


def _repo(example_repo: Path) -> Path:
    git(example_repo, "init", "-q", "-b", "main")
    commit_all(example_repo, "the example fleet")
    return example_repo


COMMANDS = (
    ("render", "--check"),
    ("lint",),
    ("lint", "--format", "json"),
    ("graph",),
    ("graph", "--format", "markdown"),
    ("rules",),
    ("diff", "--base", "HEAD"),
    ("ci", "--base", "HEAD"),
    ("access",),
    ("access", "--format", "json"),
    ("waves",),
    ("secrets", "config", "--check"),
    ("secrets", "updatekeys", "--check"),
    ("secrets", "config"),
    ("render",),
)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_a_command_gives_the_same_result_from_a_subfolder(example_repo: Path,
                                                          args: tuple[str, ...]) -> None:
    repo = _repo(example_repo)
    top = run_cli(*args, cwd=repo)
    # the example sets no spec.rollout.flux.waveRefs: `waves` says so (exit 2) from anywhere
    assert top.code == (2 if args == ("waves",) else 0), top.err
    for folder in SUBFOLDERS:
        below = run_cli(*args, cwd=repo / folder)
        assert below == top, folder


def test_a_named_spec_is_relative_to_where_the_user_stands(example_repo: Path) -> None:
    top = run_cli("render", "--check", "fleets/acme.yaml", cwd=example_repo)
    below = run_cli("render", "--check", "../../fleets/acme.yaml",
                    cwd=example_repo / "templates/storefront")
    assert top.code == below.code == 0 and top == below


def test_findings_name_paths_relative_to_the_root(example_repo: Path) -> None:
    target = example_repo / "clusters/us-east/storefront/deployment-storefront.yaml"
    target.write_text(target.read_text().replace("replicas: 3", "replicas: 30"))
    top = run_cli("render", "--check", "--no-diff", cwd=example_repo)
    below = run_cli("render", "--check", "--no-diff", cwd=example_repo / "clusters/us-east")
    assert top.code == below.code == 1
    assert top.out == below.out
    assert top.out.startswith("clusters/us-east/storefront/deployment-storefront.yaml:")


def test_outside_any_fleet_repository_the_error_says_where_it_looked(tmp_path: Path) -> None:
    (tmp_path / "deep/er").mkdir(parents=True)
    done = run_cli("render", cwd=tmp_path / "deep/er")
    assert done.code == 2
    assert "no fleets/ folder in" in done.err and str(tmp_path / "deep/er") in done.err
    assert "Traceback" not in done.err


def test_the_search_stops_at_the_top_of_a_git_work_tree(example_repo: Path) -> None:
    inner = example_repo / "vendor/other"
    inner.mkdir(parents=True)
    git(inner, "init", "-q")
    done = run_cli("lint", cwd=inner)
    assert done.code == 2
    assert f"`mcgen init {inner}`" in done.err


def test_a_fleet_repository_below_the_git_top_is_found(
        example_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    mono = tmp_path_factory.mktemp("mono")
    infra = mono / "infra"
    for name in ("fleets", "templates", "charts", "policies", "crds", "clusters", "secrets"):
        shutil.copytree(example_repo / name, infra / name)
    git(mono, "init", "-q", "-b", "main")
    commit_all(mono, "a monorepo with the fleet in infra/")
    top = run_cli("diff", "--base", "HEAD", cwd=infra)
    below = run_cli("diff", "--base", "HEAD", cwd=infra / "templates")
    assert top.code == 0, top.err
    assert top == below
    assert run_cli("render", "--check", cwd=infra / "clusters").code == 0
    assert run_cli("ci", "--base", "HEAD", cwd=infra / "templates").code == 0


def test_init_refuses_to_nest_a_repository(example_repo: Path) -> None:
    done = run_cli("init", str(example_repo / "templates/new"))
    assert done.code == 2
    assert f"`mcgen init {example_repo}`" in done.err
    assert not (example_repo / "templates/new").exists()
