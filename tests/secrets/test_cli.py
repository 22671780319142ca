"""`mcgen secrets`: exit codes and messages (the logic is tested below the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from mcgen.errors import InputError

from .sopsrepo import age_key, write_repo


def test_config_check_is_1_when_stale_and_0_once_written(tmp_path: Path) -> None:
    write_repo(tmp_path, age_key().public, age_key().public)
    stale = run_cli("secrets", "config", "--check", cwd=tmp_path)
    assert stale.code == 1 and "stale" in stale.err
    assert not (tmp_path / ".sops.yaml").exists()
    assert run_cli("secrets", "config", cwd=tmp_path).code == 0
    assert run_cli("secrets", "config", "--check", cwd=tmp_path).code == 0


def test_a_sops_yaml_mcgen_cannot_merge_into_is_exit_2_with_its_line(tmp_path: Path) -> None:
    write_repo(tmp_path, age_key().public, age_key().public)
    (tmp_path / ".sops.yaml").write_text("# mine\ncreation_rules: [{age: x}]\n")
    run = run_cli("secrets", "config", cwd=tmp_path)
    assert run.code == 2
    assert ".sops.yaml:2:1: error: creation_rules is written inline" in run.err
    assert (tmp_path / ".sops.yaml").read_text() == "# mine\ncreation_rules: [{age: x}]\n"


def test_a_bad_recipient_is_exit_2_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        write_repo(tmp_path, "age1notakey", age_key().public)  # written, then refused
    run = run_cli("secrets", "config", cwd=tmp_path)
    assert run.code == 2
    assert "fleets/t.yaml:13:" in run.err and "not an age public key" in run.err


def test_help_has_examples() -> None:
    for args in (("secrets", "--help"), ("secrets", "config", "--help"),
                 ("secrets", "updatekeys", "--help")):
        run = run_cli(*args)
        assert run.code == 0 and "Example" in run.out
