"""The shipped CI workflows run exactly the commands these tests run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from workflows.gitfixture import commit_all, edit, git, new_repo, render

EXAMPLES = ROOT / "examples" / "ci"


def mcgen_lines(workflow: Path) -> list[str]:
    body = yaml.safe_load(workflow.read_text())
    steps: list[str] = []
    for job in body.get("jobs", {}).values():
        steps += [step["run"] for step in job["steps"] if "run" in step]
    for job in body.values():
        if isinstance(job, dict) and "script" in job:
            steps += job["script"]
    return [line for line in steps if line.startswith("mcgen ")]


def test_the_scaffolded_workflow_is_the_shipped_example() -> None:
    from mcgen.scaffold import PIN

    scaffolded = ROOT / "mcgen/scaffold/files/dot-github/workflows/mcgen.yaml"
    shipped = (EXAMPLES / "github-actions.yaml").read_text()
    assert scaffolded.read_text().replace("@PIN@", PIN) == shipped


@pytest.mark.parametrize(("workflow", "env"), [
    ("github-actions.yaml", {"GITHUB_BASE_REF": "main"}),
    ("gitlab-ci.yml", {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}),
])
def test_workflow_commands_run_on_a_pull_request(workflow: str, env: dict[str, str],
                                                 tmp_path: Path) -> None:
    lines = mcgen_lines(EXAMPLES / workflow)
    assert lines and all(line.startswith("mcgen ci --base") for line in lines)
    origin = new_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    edit(clone, "fleets/fleet.yaml", "replicas: 3", "replicas: 4")
    render(clone)
    commit_all(clone, "more web replicas")
    bindir = os.path.dirname(sys.executable)
    for line in lines:
        done = subprocess.run(["bash", "-c", line], cwd=clone, text=True, capture_output=True,
                              env={**os.environ, **env, "PATH": f"{bindir}:{os.environ['PATH']}"},
                              check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "wave 1:" in done.stdout and (clone / "mcgen.sarif").exists()
        assert "| 1 | us-east |" in (clone / "mcgen.md").read_text()
