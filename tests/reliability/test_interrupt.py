"""Ctrl-C at any moment of `mcgen render`: exit 130, one line, no traceback, tree whole.

A real SIGINT goes to a real `mcgen` process at moments found from the process itself:
as each native extension of the start-up imports is mapped (PyYAML's libyaml, yaml-rs,
jsonschema-rs, markupsafe: click, the YAML readers, the schema and the template engine
loading), then at fixed delays into rendering and writing. A Ctrl-C during the Python
interpreter's own start-up, before mcgen's first line runs, is Python's (see
mcgen/entry.py) and is not tried here.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import cold_tree, snapshot

MCGEN = shutil.which("mcgen", path=os.path.dirname(sys.executable))
EXTENSIONS = ["yaml/_yaml", "yaml_rs/", "jsonschema_rs/", "markupsafe/_speedups"]
DELAYS = [0.0, 0.05, 0.15, 0.3, 0.6]  # seconds after markupsafe, the last import

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(MCGEN is None, reason="the mcgen console script is absent")]


def _mapped(pid: int, marker: str, deadline: float) -> bool:
    """Wait until `marker` appears in the process's memory map (False if it ended)."""
    while time.monotonic() < deadline:
        try:
            maps = Path(f"/proc/{pid}/maps").read_text()
        except OSError:
            return False
        if marker in maps:
            return True
        time.sleep(0.0005)
    return False


def interrupt(repo: Path, marker: str, delay: float) -> subprocess.CompletedProcess[str]:
    assert MCGEN is not None
    # SIGINT as a terminal delivers it: a test run in the background (`pytest &`) starts
    # its children with SIGINT ignored, which mcgen rightly keeps.
    process = subprocess.Popen([MCGEN, "render"], cwd=repo, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if _mapped(process.pid, marker, time.monotonic() + 60):
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def change(repo: Path, replicas: int) -> None:
    spec = repo / "fleets/acme.yaml"
    before = spec.read_text()
    text = re.sub(r"replicas: \d+(\n +version)", rf"replicas: {replicas}\1", before, count=1)
    assert text != before, "the example fleet no longer has the value this test changes"
    spec.write_text(text)


MOMENTS = [(m, 0.0) for m in EXTENSIONS[:-1]] + [(EXTENSIONS[-1], d) for d in DELAYS]


@pytest.mark.parametrize(("marker", "delay"), MOMENTS, ids=[f"{m}+{d}" for m, d in MOMENTS])
def test_ctrl_c_is_one_line_and_exit_130(example_repo: Path, tmp_path: Path, marker: str,
                                         delay: float) -> None:
    change(example_repo, 7)
    result = interrupt(example_repo, marker, delay)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 0 and marker == EXTENSIONS[-1]:  # finished before the signal
        return
    assert result.returncode == 130, result.stderr
    # One line, last; a render that had finished (its summary printed) when the signal
    # came, while exiting, may show that summary before it.
    assert result.stderr.endswith("mcgen: interrupted\n"), result.stderr
    assert result.stderr.count("\n") == 1 or (
        marker == EXTENSIONS[-1] and result.stderr.count("\n") == 2
        and result.stderr.startswith("acme: ")), result.stderr
    # Whatever it was doing, the next command finishes or discards it.
    assert subprocess.run([MCGEN, "render", "-q"], cwd=example_repo,
                          check=False).returncode == 0
    assert snapshot(example_repo / "clusters") == cold_tree(example_repo, tmp_path)



LENT = """\
import os, signal, sys, time
import mcgen.entry  # the program's first module: it takes SIGINT over
from mcgen.helm.native import _captured
warnings = []
with _captured(warnings):  # descriptor 2 is a temporary file while Helm's Go runs
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(5)
print("not interrupted")
"""


def test_ctrl_c_while_helm_has_stderr_is_still_said() -> None:
    """Helm's Go engine writes to descriptor 2, which mcgen lends it (into a file it
    reads for warnings): a Ctrl-C then must still reach the user's terminal."""
    done = subprocess.run([sys.executable, "-c", LENT], text=True, capture_output=True,
                          timeout=60, check=False,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert done.returncode == 130, done
    assert done.stderr == "mcgen: interrupted\n" and "not interrupted" not in done.stdout
