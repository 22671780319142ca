"""The real pre-commit, running the hooks `mcgen init` scaffolds in a fleet repo.

Those are `repo: local` hooks that install the distribution `mcgen-gitops`, pinned, into
pre-commit's own virtualenv: no hook repository or published tag. pre-commit installs it
from a wheel of this checkout built here (pip is pointed at it with PIP_FIND_LINKS; the
distribution is not on PyPI), and its dependencies as pip finds them, once per module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from workflows.gitfixture import IDENTITY, edit, git, new_repo, render

PRE_COMMIT = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which(
    "pre-commit")

# Installing mcgen into pre-commit's own virtualenv takes ~25 s.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hooked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if PRE_COMMIT is None:
        pytest.skip("pre-commit is not installed")
    wheels = tmp_path_factory.mktemp("wheels")
    source = tmp_path_factory.mktemp("source")  # setuptools writes build/ beside the sources
    shutil.copytree(ROOT / "mcgen", source / "mcgen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(wheels), str(source)], capture_output=True, text=True,
                           check=False)
    assert built.returncode == 0, built.stderr
    assert list(wheels.glob("mcgen_gitops-*.whl"))
    repo = new_repo(tmp_path_factory.mktemp("precommit") / "fleet")
    assert "repo: local" in (repo / ".pre-commit-config.yaml").read_text()
    saved = {key: os.environ.get(key) for key in ("PRE_COMMIT_HOME", "PIP_FIND_LINKS")}
    os.environ["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    os.environ["PIP_FIND_LINKS"] = str(wheels)
    subprocess.run([PRE_COMMIT, "install"], cwd=repo, check=True, capture_output=True)
    yield repo
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


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


def test_a_render_not_staged_says_stage_it_and_drift_prints_once(hooked: Path) -> None:
    edit(hooked, "fleets/fleet.yaml", "replicas: 4", "replicas: 5")
    render(hooked)
    git(hooked, "add", "fleets/")
    done = subprocess.run(["git", *IDENTITY, "commit", "-m", "five"], cwd=hooked, text=True,
                          capture_output=True, check=False, env={**os.environ})
    out = done.stdout + done.stderr
    reset(hooked)
    git(hooked, "checkout", "-q", "--", ".")
    assert done.returncode != 0
    assert "stage its output (`git add clusters/`)" in out, out
    drifted = [line for line in out.splitlines() if "[output-drift]" in line]
    assert drifted and len(drifted) == len(set(drifted)), out
