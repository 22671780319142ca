"""The real pre-commit, running this repository's .pre-commit-hooks.yaml in a fleet repo.

pre-commit installs mcgen from this repository's committed HEAD into its own virtualenv
(from PyPI for the dependencies), once per test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from workflows.gitfixture import IDENTITY, commit_all, edit, git, new_repo, render

# Installing mcgen into pre-commit's own virtualenv takes ~25 s.
pytestmark = pytest.mark.slow

PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which(
    "pre-commit")


@pytest.fixture(scope="module")
def hooked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if PRE_COMMIT is None:
        pytest.skip("pre-commit is not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if head.returncode != 0:
        pytest.skip("this checkout is not a git repository: pre-commit needs a revision")
    repo = new_repo(tmp_path_factory.mktemp("precommit") / "fleet")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head.stdout.strip()}\n"
        "    hooks: [{id: mcgen-check}, {id: mcgen-lint}]\n")
    commit_all(repo, "hooks from this checkout")
    os.environ["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    subprocess.run([PRE_COMMIT, "install"], cwd=repo, check=True, capture_output=True)
    return repo


def commit(repo: Path, message: str) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    done = subprocess.run(["git", *IDENTITY, "commit", "-m", message], cwd=repo, text=True,
                          capture_output=True, check=False, env={**os.environ})
    # pre-commit reports on stderr when run by git; keep both for the assertions.
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout + done.stderr, "")


def reset(repo: Path) -> None:
    git(repo, "reset", "-q", "--hard", "HEAD")


def test_a_good_commit_passes(hooked: Path) -> None:
    edit(hooked, "fleets/fleet.yaml", "replicas: 3", "replicas: 4")
    render(hooked)
    done = commit(hooked, "four web replicas")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "mcgen render --check" in done.stdout and "Passed" in done.stdout


def test_moving_eu_personal_data_to_the_us_is_blocked(hooked: Path) -> None:
    edit(hooked, "fleets/fleet.yaml", "placement: {clusters: [eu-west]}",
         "placement: {clusters: [us-east]}")
    render(hooked)
    done = commit(hooked, "accounts to us-east")
    reset(hooked)
    assert done.returncode != 0
    assert "[residency-placement]" in done.stdout


def test_a_hand_edit_of_generated_output_is_blocked(hooked: Path) -> None:
    target = hooked / "clusters/us-east/web/deployment-web.yaml"
    target.write_text(target.read_text().replace("replicas: 4", "replicas: 40"))
    done = commit(hooked, "quick fix in prod")
    reset(hooked)
    assert done.returncode != 0
    assert "edited by hand" in done.stdout and "[output-drift]" in done.stdout
