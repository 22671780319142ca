"""Inputs mcgen may not read, and malformed settings: exit 2 saying what to fix (issue #16).

Root reads any file whatever its mode, so each case runs mcgen with the capabilities
that allow it dropped from the bounding set (`setpriv
--bounding-set=-dac_override,-dac_read_search`): root then obeys file modes like any
user, and a `chmod 000` file or folder is really unreadable. Before, an unreadable
template folder or ownership record was exit 3 ("this is a bug").
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

SETPRIV = shutil.which("setpriv")
DROP = [SETPRIV or "setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
needs_setpriv = pytest.mark.skipif(
    SETPRIV is None or os.geteuid() != 0,
    reason="needs root and setpriv (util-linux) to drop the override of file modes")

UNREADABLE = {
    "template-folder": ("templates/storefront", "templates/storefront: error: permission denied"),
    "template-file": ("templates/storefront/service.yaml.j2",
                      "templates/storefront/service.yaml.j2"),
    "fleet-spec": ("fleets/acme.yaml", "fleets/acme.yaml: error: cannot read"),
    # a generated file: its stamp says whose it is, so mcgen must read it
    "generated-file": ("clusters/us-west/storefront/service-storefront.yaml",
                       "clusters/us-west/storefront/service-storefront.yaml"),
    "state-folder": (".mcgen", "cannot create or open mcgen's state folder"),
}


def mcgen_without_override(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DROP, sys.executable, "-m", "mcgen", *args], cwd=repo, text=True,
                          capture_output=True, timeout=300, check=False)


@needs_setpriv
def test_dropping_the_capabilities_really_denies(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("x")
    secret.chmod(0)
    done = subprocess.run([*DROP, "cat", str(secret)], capture_output=True, check=False)
    assert done.returncode != 0


@needs_setpriv
@pytest.mark.parametrize("command", [["render"], ["render", "--check"], ["lint"]],
                         ids=" ".join)
@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_input_is_exit_2_saying_what(example_repo: Path, name: str,
                                                   command: list[str]) -> None:
    assert run_cli("render", "-q", cwd=example_repo).code == 0  # state folder, record
    path, expected = UNREADABLE[name]
    target = example_repo / path
    mode = stat.S_IMODE(target.stat().st_mode)
    target.chmod(0)
    try:
        result = mcgen_without_override(example_repo, *command)
    finally:
        target.chmod(mode)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr, result.stderr
    assert "permission denied" in result.stderr.lower(), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("MCGEN_JOBS", "two", "MCGEN_JOBS='two' is not valid: it must be a whole number"),
    ("MCGEN_JOBS", "0", "MCGEN_JOBS='0' is not valid"),
    ("MCGEN_LOCK_WAIT", "soon", "MCGEN_LOCK_WAIT='soon' is not valid: it must be a number of "
                                "seconds"),
    ("MCGEN_LOCK_WAIT", "-1", "MCGEN_LOCK_WAIT='-1' is not valid"),
    ("MCGEN_LOCK_WAIT", "nan", "MCGEN_LOCK_WAIT='nan' is not valid"),
    ("MCGEN_KUBECONFORM", "bultin", "MCGEN_KUBECONFORM='bultin' is not valid: it must be "
                                    "'builtin' or 'binary'"),
])
def test_a_malformed_setting_is_exit_2_saying_what(example_repo: Path, monkeypatch:
                                                   pytest.MonkeyPatch, name: str, value: str,
                                                   expected: str) -> None:
    monkeypatch.setenv(name, value)
    for command in (["render"], ["lint"]):
        result = run_cli(*command, cwd=example_repo)
        assert result.code == 2, result.err
        assert expected in result.err, result.err


def test_good_settings_still_work(example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "1")
    monkeypatch.setenv("MCGEN_LOCK_WAIT", "2.5")
    monkeypatch.setenv("MCGEN_KUBECONFORM", "builtin")
    assert run_cli("render", "-q", cwd=example_repo).code == 0
