"""`mcgen ci` and `mcgen diff` on unusual history (issue #16, class 10).

A pull request that fixes a broken main must be able to pass, and one that introduces
mcgen has no base fleet at all. Before, the base's problems stopped the gate, printed as
if they were at the head's lines. Now the base counts as rendering nothing: every
object is new, blast radius is not judged, and the gate says why, naming the base's
problems as the base's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_cli

from workflows.gitfixture import commit_all, edit, git, new_repo, render

SPEC = "fleets/fleet.yaml"


def short(repo: Path, ref: str) -> str:
    return git(repo, "rev-parse", "--short=7", ref).stdout.strip()


def broken_main_then_fix(tmp_path: Path) -> Path:
    repo = new_repo(tmp_path / "fleet")  # rendered and committed
    edit(repo, SPEC, "placement: {groups: [us-web]}", "placement: {groups: [us-webb]}")
    commit_all(repo, "a typo lands on main")
    git(repo, "checkout", "-q", "-b", "fix")
    edit(repo, SPEC, "placement: {groups: [us-webb]}", "placement: {groups: [us-web]}")
    commit_all(repo, "fix the typo")
    return repo


def test_a_pull_request_fixing_a_broken_main_passes(tmp_path: Path) -> None:
    repo = broken_main_then_fix(tmp_path)
    result = run_cli("ci", "--base", "main", cwd=repo)
    assert result.code == 0, result.out + result.err
    base = short(repo, "main")
    assert f"the base {base} does not render" in result.err
    assert f"{base}:fleets/fleet.yaml:" in result.err and "unknown group 'us-webb'" in result.err
    assert "replica-blast-radius" not in result.out
    assert "error" not in result.out.lower().replace("0 errors", ""), result.out


def test_the_base_problems_never_sit_at_the_heads_lines(tmp_path: Path) -> None:
    repo = broken_main_then_fix(tmp_path)
    result = run_cli("ci", "--base", "main", cwd=repo)
    for line in (result.out + result.err).splitlines():
        if "us-webb" in line:
            assert f"{short(repo, 'main')}:fleets/fleet.yaml:" in line, line


def test_diff_against_a_broken_base_shows_everything_new(tmp_path: Path) -> None:
    repo = broken_main_then_fix(tmp_path)
    result = run_cli("diff", "--base", "main", cwd=repo)
    assert result.code == 0, result.err
    assert "does not render" in result.err
    assert "added" in result.out.lower() or "+" in result.out, result.out


def test_a_pull_request_introducing_mcgen_passes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("platform\n")
    commit_all(repo, "before mcgen")
    scaffold = new_repo(tmp_path / "scaffold")
    for name in ("fleets", "templates", "policies"):
        if (scaffold / name).exists():
            shutil.copytree(scaffold / name, repo / name)
    git(repo, "checkout", "-q", "-b", "introduce-mcgen")
    render(repo)
    commit_all(repo, "introduce mcgen")
    result = run_cli("ci", "--base", "main", cwd=repo)
    assert result.code == 0, result.out + result.err
    assert f"the base {short(repo, 'main')} has no fleet: every object is new" in result.err
    diff = run_cli("diff", "--base", "main", cwd=repo)
    assert diff.code == 0 and "has no fleet" in diff.err, diff.err
