"""`mcgen diff` and `mcgen ci` in real git repositories with several commits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from workflows.gitfixture import commit_all, edit, git, new_repo, render

SPEC = "fleets/fleet.yaml"
TEMPLATE = "templates/web/deployment.yaml.j2"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return new_repo(tmp_path / "fleet")


def change_template(repo: Path) -> None:
    edit(repo, TEMPLATE, "{name: LOG_LEVEL,", "{name: TRACING, value: \"on\"}\n"
         "            - {name: LOG_LEVEL,")
    render(repo)
    commit_all(repo, "web: tracing")


def test_a_change_to_every_replica_in_one_wave_fails_blast_radius(repo: Path) -> None:
    edit(repo, SPEC, "kubernetesVersion: \"1.31\", wave: 2", "kubernetesVersion: \"1.31\", wave: 1")
    render(repo)
    commit_all(repo, "both replicas in wave 1")
    change_template(repo)
    result = run_cli("ci", "--base", "HEAD~1", cwd=repo)
    assert result.code == 1, result.out + result.err
    line = next(x for x in result.out.splitlines() if "[replica-blast-radius]" in x)
    assert line.startswith("fleets/fleet.yaml:") and "group us-web" in line


def test_the_same_change_with_waves_passes_and_reports_the_waves(repo: Path,
                                                                 tmp_path: Path) -> None:
    change_template(repo)
    summary, sarif = tmp_path / "summary.md", tmp_path / "out.sarif"
    result = run_cli("ci", "--base", "HEAD~1", "--summary", str(summary), "--sarif", str(sarif),
                     cwd=repo)
    assert result.code == 0, result.out + result.err
    assert "wave 1:\n  us-east" in result.out and "wave 2:\n  us-west" in result.out
    text = summary.read_text()
    assert "| 1 | us-east |" in text and "| 2 | us-west |" in text and "```mermaid" in text
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


def test_a_values_change_for_one_cluster_shows_only_that_cluster(repo: Path) -> None:
    edit(repo, SPEC, '{name: us-west, region: us-west-2, kubernetesVersion: "1.31", wave: 2,',
         '{name: us-west, region: us-west-2, kubernetesVersion: "1.31", wave: 2, '
         "values: {logLevel: debug},")
    render(repo)
    commit_all(repo, "debug logs on us-west")
    result = run_cli("diff", "--base", "HEAD~1", "--format", "json", cwd=repo)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["touched"] == ["us-west"]
    assert {c["cluster"] for c in report["changes"]} == {"us-west"}
    assert report["changes"][0]["paths"] == ["spec.template.spec.containers[0].env[1].value"]


def test_stale_output_in_the_pull_request_fails(repo: Path) -> None:
    edit(repo, SPEC, "replicas: 3", "replicas: 4")
    commit_all(repo, "forgot to render")
    result = run_cli("ci", "--base", "HEAD~1", cwd=repo)
    assert result.code == 1 and "[output-drift]" in result.out


def test_a_dirty_work_tree_is_noted_and_committed_states_are_compared(repo: Path) -> None:
    change_template(repo)
    edit(repo, SPEC, "replicas: 3", "replicas: 9")  # uncommitted, unrendered
    result = run_cli("ci", "--base", "HEAD~1", cwd=repo)
    assert result.code == 0, result.out
    assert "uncommitted changes" in result.err


def test_detached_head_works(repo: Path) -> None:
    change_template(repo)
    git(repo, "checkout", "-q", "--detach", "HEAD")
    result = run_cli("ci", "--base", "HEAD~1", cwd=repo)
    assert result.code == 0 and "detached HEAD" in result.err


def test_a_shallow_clone_says_what_to_fetch(repo: Path, tmp_path: Path) -> None:
    change_template(repo)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    result = run_cli("ci", "--base", "HEAD~1", cwd=clone)
    assert result.code == 2
    assert "shallow clone" in result.err and "git fetch" in result.err


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("diff", "--base", "HEAD~1", cwd=tmp_path)
    assert result.code == 2 and "not inside a git repository" in result.err


def _printed_commands(message: str) -> list[str]:
    return [part for index, part in enumerate(message.split("`")) if index % 2
            and part.startswith("git ")]


def test_the_shallow_clone_advice_runs_as_printed(repo: Path, tmp_path: Path) -> None:
    """A CI checkout of a pull-request branch, depth 1: the base branch is absent."""
    git(repo, "checkout", "-q", "-b", "feature")
    change_template(repo)
    git(repo, "checkout", "-q", "main")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", "--branch", "feature",
        f"file://{repo}", str(clone))
    first = run_cli("diff", "--base", "origin/main", cwd=clone)
    assert first.code == 2, first.err
    commands = _printed_commands(first.err)
    assert commands == ["git fetch origin main:refs/remotes/origin/main",
                        "git fetch --deepen=200 origin"], first.err
    for command in commands:
        git(clone, *command.split()[1:])
    second = run_cli("diff", "--base", "origin/main", cwd=clone)
    assert second.code in (0, 1), second.err
    assert "web" in second.out


def test_a_relative_base_in_a_shallow_clone_says_deepen(repo: Path, tmp_path: Path) -> None:
    change_template(repo)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    first = run_cli("diff", "--base", "HEAD~1", cwd=clone)
    assert _printed_commands(first.err) == ["git fetch --deepen=200 origin"], first.err
    git(clone, "fetch", "-q", "--deepen=200", "origin")
    assert run_cli("diff", "--base", "HEAD~1", cwd=clone).code in (0, 1)


def test_diff_shows_old_and_new_values_per_path(repo: Path) -> None:
    edit(repo, SPEC, "replicas: 3", "replicas: 4")
    render(repo)
    commit_all(repo, "four replicas")
    result = run_cli("diff", "--base", "HEAD~1", cwd=repo)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "~ apps/v1 Deployment web/web")
    assert lines[at + 1].strip() == "spec.replicas: 3 → 4", result.out
    markdown = run_cli("diff", "--base", "HEAD~1", "--format", "markdown", cwd=repo).out
    assert "    spec.replicas: 3 → 4" in markdown
