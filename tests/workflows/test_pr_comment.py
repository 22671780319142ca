"""The pull-request comment leads with the verdict and compliance, and fits GitHub's limit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from mcgen.prcomment import GITHUB_LIMIT, Section, comment
from workflows.gitfixture import commit_all, git

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet


def test_a_comment_that_fits_is_the_sections_joined() -> None:
    sections = [Section("a", "one"), Section("b", "two")]
    assert comment(sections, 100) == "one\ntwo"


def test_a_long_comment_is_cut_at_a_line_with_blocks_closed() -> None:
    diff = "\n".join(["<details><summary>c</summary>", "", "```diff",
                      *(f"~ line {n}" for n in range(5000)), "```", "</details>"])
    sections = [Section("the verdict", "## mcgen\n\nfailed"), Section("the rendered change", diff),
                Section("the rollout plan", "plan")]
    text = comment(sections, 4000, "mcgen-full.md")
    assert len(text) <= 4000
    assert text.startswith("## mcgen\n\nfailed\n<details>")
    body = text[:text.index("> **Truncated**")].rstrip("\n")
    assert body.endswith("```\n</details>")  # the open code block and details are closed
    assert body.count("```") % 2 == 0
    assert "cut from *the rendered change* on (also left out: the rollout plan)" in text
    assert "The full report is `mcgen-full.md`" in text
    assert comment(sections, 4000, "mcgen-full.md") == text  # deterministic


@pytest.mark.slow
def test_a_thousand_cluster_change_fits_and_points_at_the_full_report(tmp_path: Path) -> None:
    repo = tmp_path / "fleet"
    write_fleet(repo, 1000, 2)
    git(repo, "init", "-q", "-b", "main")
    assert run_cli("render", "-q", cwd=repo).code == 0
    commit_all(repo, "a thousand clusters")
    template = next((repo / "templates").glob("*/deployment.yaml.j2"))
    template.write_text(template.read_text().replace("name: app", "name: main", 1))
    assert run_cli("render", "-q", cwd=repo).code == 0
    commit_all(repo, "rename the container everywhere")
    summary = tmp_path / "out" / "mcgen.md"
    result = run_cli("ci", "--base", "HEAD~1", "--summary", str(summary), cwd=repo)
    assert result.code in (0, 1), result.err
    text = summary.read_text()
    full = (tmp_path / "out" / "mcgen-full.md").read_text()
    assert len(text) <= GITHUB_LIMIT < len(full)
    assert text.startswith("## mcgen\n\n") and "mcgen lint" in text.splitlines()[2]
    assert "The full report is `mcgen-full.md`" in text
    assert full.count("<details>") == 1000  # every cluster's change is in the full one
