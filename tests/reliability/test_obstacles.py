"""Something in the way of a generated file is refused before the commit point.

Found in review: a folder at a generated file's path (a pull request can commit one,
with a file inside), or a file where a generated folder goes, passed every check, then
failed while the journal was applied: the render crashed (exit 3) and every later
command failed replaying the journal, until someone removed it by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_cli, snapshot

GENERATED = "clusters/us-west/storefront/service-storefront.yaml"
FOLDER = "clusters/eu-west/accounts"


def change(repo: Path) -> None:
    spec = repo / "fleets/acme.yaml"
    spec.write_text(spec.read_text().replace("logLevel: info", "logLevel: warn"))


def assert_refused_then_recovers(repo: Path, where: str, words: str) -> None:
    change(repo)
    before = snapshot(repo)
    for command in (["render"], ["render", "--check"], ["lint"]):
        result = run_cli(*command, cwd=repo)
        assert result.code == 2, result.err
        assert f"{where}: error: " in result.err and words in result.err
    assert snapshot(repo) == before
    assert not (repo / ".mcgen" / "journal.json").exists()


def test_a_folder_where_a_file_goes(example_repo: Path) -> None:
    (example_repo / GENERATED).unlink()
    (example_repo / GENERATED).mkdir()
    (example_repo / GENERATED / "keep.txt").write_text("x\n")
    assert_refused_then_recovers(example_repo, GENERATED, "is a folder where mcgen writes")
    shutil.rmtree(example_repo / GENERATED)
    assert run_cli("render", cwd=example_repo).code == 0


def test_a_file_where_a_folder_goes(example_repo: Path) -> None:
    shutil.rmtree(example_repo / FOLDER)
    (example_repo / FOLDER).write_text("x\n")
    assert_refused_then_recovers(example_repo, f"{FOLDER}/kustomization.yaml",
                                 f"{FOLDER} is a file where mcgen needs a folder")
    (example_repo / FOLDER).unlink()
    assert run_cli("render", cwd=example_repo).code == 0
