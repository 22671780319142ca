"""Inputs found in the repository never lead out of it through a symlink.

Found in review: `fleets/x.yaml -> ~/.git-credentials` made `mcgen render --check`
quote the credentials ("'https://user:token@...' is not of type 'object'") in the CI
log; a policy, a CRD or a manifest in a linted folder could do the same.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from mcgen.schemas.validate import SchemaValidator

SECRET = "https://user:ghp_hunter2@github.com\n"
SECRET_YAML = "apiVersion: v1\nkind: Hunter2Kind\nmetadata: {name: hunter2}\n"


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outside")
    (folder / "credentials").write_text(SECRET)
    (folder / "object.yaml").write_text(SECRET_YAML)
    return folder


@pytest.mark.parametrize("target", ["credentials", "object.yaml"])
@pytest.mark.parametrize("command", [["render"], ["render", "--check"], ["lint"]])
def test_a_fleet_spec_symlinked_outside_is_refused_unread(
        example_repo: Path, outside: Path, target: str, command: list[str]) -> None:
    os.symlink(outside / target, example_repo / "fleets/evil.yaml")
    result = run_cli(*command, cwd=example_repo)
    assert result.code == 2
    assert "fleets/evil.yaml: error: a symlink leading outside the repository" in result.err
    assert "hunter2" not in result.out + result.err.replace(str(outside), "")


def test_a_policy_symlinked_outside_is_refused_unread(example_repo: Path,
                                                      outside: Path) -> None:
    os.symlink(outside / "object.yaml", example_repo / "policies/evil.yaml")
    result = run_cli("lint", cwd=example_repo)
    assert result.code == 1
    assert "policies/evil.yaml: error: a symlink leading outside the repository" in result.out
    assert "Hunter2Kind" not in result.out + result.err


def test_a_manifest_symlinked_out_of_the_linted_folder_is_refused(tmp_path: Path,
                                                                  outside: Path) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    os.symlink(outside / "object.yaml", folder / "evil.yaml")
    result = run_cli("lint", "--format", "json", str(folder))
    assert result.code == 2 and "a symlink leading outside the folder" in result.err
    assert "Hunter2Kind" not in result.out + result.err


def test_a_crd_symlinked_outside_is_not_read(example_repo: Path, outside: Path) -> None:
    os.symlink(outside / "object.yaml", example_repo / "crds/evil.yaml")
    problems = SchemaValidator().add_crd_paths([str(example_repo / "crds")], str(example_repo))
    assert [str(p.location) for p in problems] == ["crds/evil.yaml"]


def test_a_symlink_inside_the_repository_is_still_read(example_repo: Path) -> None:
    os.symlink("eu-storage-class.yaml", example_repo / "policies/again.yaml")
    result = run_cli("lint", cwd=example_repo)
    assert "symlink" not in result.out + result.err


def test_special_files_in_templates_are_never_read(example_repo: Path) -> None:
    """Found in review: the no-op check's fingerprint read every file under templates/,
    so a link to /dev/zero filled the memory and a FIFO hung `render --check`."""
    import resource
    import subprocess
    import sys

    def limited() -> None:
        # Address space, not memory: the in-process Helm engine (a Go runtime) reserves
        # gigabytes of it up front. Reading /dev/zero would still reach the cap in seconds.
        resource.setrlimit(resource.RLIMIT_AS, (8 * 1024**3, 8 * 1024**3))

    subprocess.run(["git", "init", "-q", str(example_repo)], check=True)
    os.symlink("/dev/zero", example_repo / "templates/storefront/zero.yaml.j2")
    os.mkfifo(example_repo / "templates/storefront/fifo")
    for command in (["render"], ["render", "--check"], ["render", "--check"]):
        done = subprocess.run([sys.executable, "-m", "mcgen", *command], cwd=example_repo,
                              capture_output=True, text=True, preexec_fn=limited,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("planted", ["file", "folder"])
def test_templates_symlinked_outside_are_not_rendered(example_repo: Path, outside: Path,
                                                      planted: str) -> None:
    (outside / "x.yaml.j2").write_text(SECRET_YAML)
    if planted == "file":
        os.symlink(outside / "x.yaml.j2", example_repo / "templates/storefront/x.yaml.j2")
    else:
        shutil.rmtree(example_repo / "templates/ingress")
        os.symlink(outside, example_repo / "templates/ingress")
    result = run_cli("render", "--check", cwd=example_repo)
    assert result.code == 2 and "x.yaml.j2:1:1: error: template not found" in result.err
    assert "Hunter2Kind" not in result.out + result.err
