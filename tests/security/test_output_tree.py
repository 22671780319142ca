"""The output folder is editable by pull requests: what mcgen reads and deletes there.

Found in review: the ownership record's paths were trusted, so a pull request adding
`"/home/runner/.git-credentials"` to it made `render --check` print that file in its
diff and `render` delete it; and a symlink planted in the tree was followed when read,
so `render --check` printed e.g. /proc/self/environ.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

RECORD = "clusters/.mcgen-acme.json"
GENERATED = "clusters/us-west/storefront/service-storefront.yaml"


@pytest.fixture
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "credentials"
    path.write_text("TOKEN-hunter2\n")
    return path


def own(repo: Path, *paths: str) -> None:
    record = repo / RECORD
    body = json.loads(record.read_text())
    body["files"].update({path: "sha256:0" for path in paths})
    record.write_text(json.dumps(body, indent=2))


def stray_paths(secret: Path) -> list[str]:
    return [str(secret), "clusters/../" + os.path.relpath(secret, "/"), "../" * 12 + str(secret),
            "clusters/x/\x00", "fleets/acme.yaml"]


@pytest.mark.parametrize("command", [["render", "--check"], ["render"], ["lint"]])
@pytest.mark.parametrize("index", range(5))
def test_a_record_naming_files_outside_its_folder_is_refused(
        example_repo: Path, secret: Path, command: list[str], index: int) -> None:
    stray = stray_paths(secret)[index]
    own(example_repo, stray)
    before = snapshot(example_repo)
    result = run_cli(*command, cwd=example_repo)
    assert result.code == 2, result.out + result.err
    assert f"{RECORD}:" in result.err and "outside its folder" in result.err
    assert "hunter2" not in result.out + result.err
    assert secret.read_text() == "TOKEN-hunter2\n"
    assert snapshot(example_repo) == before


def test_the_offending_entry_is_located_on_its_line(example_repo: Path, secret: Path) -> None:
    own(example_repo, str(secret))
    lines = (example_repo / RECORD).read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if str(secret) in text)
    result = run_cli("render", cwd=example_repo)
    assert f"{RECORD}:{line}:1: error: " in result.err


def test_a_symlinked_generated_file_is_never_followed(example_repo: Path, secret: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_TEST_SECRET", "env-hunter2")
    for target in (secret, Path("/proc/self/environ")):
        (example_repo / GENERATED).unlink()
        os.symlink(target, example_repo / GENERATED)
        result = run_cli("render", "--check", cwd=example_repo)
        assert result.code == 1
        assert "hunter2" not in result.out + result.err
        assert f"<a symlink to {target}>" in result.out
    assert run_cli("render", cwd=example_repo).code == 0
    assert not (example_repo / GENERATED).is_symlink()
    assert secret.read_text() == "TOKEN-hunter2\n"


def test_a_symlinked_record_is_refused(example_repo: Path, secret: Path) -> None:
    (example_repo / RECORD).unlink()
    os.symlink(secret, example_repo / RECORD)
    result = run_cli("render", "--check", cwd=example_repo)
    assert result.code == 2 and f"{RECORD}:1:1: error: " in result.err
    assert "hunter2" not in result.out + result.err


def test_a_folder_symlinked_elsewhere_in_the_repository_is_refused(example_repo: Path) -> None:
    folder = example_repo / "clusters/us-west/storefront"
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
    os.symlink("../../fleets", folder)
    before = snapshot(example_repo / "fleets")
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2 and "symlink leading elsewhere in the repository" in result.err
    assert snapshot(example_repo / "fleets") == before


def test_a_fifo_in_the_tree_does_not_hang_the_check(example_repo: Path) -> None:
    (example_repo / GENERATED).unlink()
    os.mkfifo(example_repo / GENERATED)
    result = run_cli("render", "--check", cwd=example_repo)
    assert result.code == 1 and "<not a regular file>" in result.out
