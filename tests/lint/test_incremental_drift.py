"""output-drift in an incremental lint: the re-linted clusters' folders are compared on
disk, exactly the files whose findings the incremental lint keeps, whatever the spelling
of `spec.output.dir`; and (a known gap) the fleet-level files beside the clusters."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from mcgen.lint.engine import LintRequest, LintResult, lint

CASES = ROOT / "tests" / "fixtures" / "render"
TODAY = datetime.date(2026, 12, 2)
EDITED = ("generated file was edited by hand; change the fleet or its templates instead, "
          "then run `mcgen render`")


def fleet_repo(tmp_path: Path, case: str, output_dir: str) -> Path:
    """A git repository holding the render fixture `case`, written to `output_dir`."""
    repo = tmp_path / "fleet"
    (repo / "fleets").mkdir(parents=True)
    spec = (CASES / "cases" / case).read_text()
    assert "    dir: clusters\n" in spec
    (repo / "fleets" / case).write_text(spec.replace("    dir: clusters\n",
                                                     f"    dir: {output_dir}\n", 1))
    shutil.copytree(CASES / "templates", repo / "templates")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([sys.executable, "-m", "mcgen", "render", "-q"], cwd=repo, check=True)
    return repo


def drift(repo: Path, full: bool = False) -> tuple[LintResult, list[tuple[str, int, str]]]:
    result = lint(LintRequest(cwd=str(repo), today=TODAY, full=full, select=("output-drift",)))
    return result, [(f.location.path, f.location.line, f.message) for f in result.findings]


def hand_edit(path: Path) -> None:
    path.write_text(path.read_text() + "# hand edit\n")


@pytest.mark.parametrize("output_dir", ["clusters", "clusters/"])
def test_a_hand_edit_in_a_relinted_cluster_is_found_for_any_spelling_of_the_dir(
        tmp_path: Path, output_dir: str) -> None:
    repo = fleet_repo(tmp_path, "flux.yaml", output_dir)
    assert drift(repo)[1] == []  # leaves the memo
    hand_edit(repo / "clusters" / "eu-a" / "db" / "kustomization.yaml")
    result, found = drift(repo)
    assert result.remembered == 2  # only eu-a, whose folder changed, is compared again
    assert found == [("clusters/eu-a/db/kustomization.yaml", 9, EDITED)]
    assert result.findings[0].severity.value == "error"
    assert drift(repo, full=True)[1] == found


def test_only_the_relinted_clusters_are_compared_and_reported_once(tmp_path: Path) -> None:
    """us-b drifted before the memo was made: it stays reported (from the memo) while
    eu-a is compared again; no finding twice, none lost."""
    repo = fleet_repo(tmp_path, "argocd.yaml", "clusters")
    hand_edit(repo / "clusters" / "us-b" / "web" / "kustomization.yaml")
    _, before = drift(repo)
    assert before == [("clusters/us-b/web/kustomization.yaml", 11, EDITED)]
    hand_edit(repo / "clusters" / "eu-a" / "db" / "kustomization.yaml")
    result, found = drift(repo)
    assert result.remembered == 2
    assert sorted(found) == [("clusters/eu-a/db/kustomization.yaml", 9, EDITED), *before]
    assert sorted(drift(repo, full=True)[1]) == sorted(found)


def test_a_hand_edit_of_a_fleet_level_file_is_found_by_the_next_lint(tmp_path: Path) -> None:
    repo = fleet_repo(tmp_path, "argocd.yaml", "clusters")
    assert drift(repo)[1] == []
    hand_edit(repo / "argocd" / "argofleet" / "appproject-eu.yaml")
    found = drift(repo)[1]
    assert drift(repo, full=True)[1] == [("argocd/argofleet/appproject-eu.yaml", 22, EDITED)]
    assert found == drift(repo, full=True)[1]
