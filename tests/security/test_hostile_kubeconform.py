"""`mcgen kubeconform` on hostile input (#16 item 7) and encodings (item 8): bounded memory
and time, kubeconform's exit codes (1 for a bad resource), never a traceback."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest

MIB = 1024 * 1024
CM = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"


class Run(NamedTuple):
    code: int
    out: str
    seconds: float
    peak_mib: float


# The child's own peak (VmHWM of its address space after exec: rusage would count the
# forked pytest process too), written when it exits: mcgen leaves through os._exit (no
# heap teardown), which runs no atexit handler, so the wrapper takes os._exit over too.
PEAK = ("import atexit, os, runpy, sys\n"
        "target = sys.argv.pop(1)\n"
        "def peak():\n"
        "    line = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "    open(target, 'w').write(line.split()[1])\n"
        "leave = os._exit\n"
        "def exit_after_peak(code):\n"
        "    peak()\n"
        "    leave(code)\n"
        "os._exit = exit_after_peak\n"
        "atexit.register(peak)\n"
        "sys.argv[0] = 'mcgen'\n"
        "runpy.run_module('mcgen', run_name='__main__')\n")


def mcgen(args: list[str], stdin: int | None = None, cwd: Path | None = None) -> Run:
    """A real `mcgen` process, timed, with its own peak memory."""
    env = {**os.environ, "MCGEN_KUBECONFORM": "builtin"}
    peak = Path(os.environ.get("TMPDIR", "/tmp")) / f"mcgen-peak-{os.getpid()}"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", PEAK, str(peak), *args], stdin=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                          timeout=120, check=False)
    seconds = time.monotonic() - started
    assert peak.exists(), "the child left without writing its peak memory"
    kib = int(peak.read_text())
    peak.unlink()
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), seconds, kib / 1024)


def kubeconform_stdin(tmp_path: Path, data: bytes | None, source: str | None = None) -> Run:
    if source is None:
        path = tmp_path / "stdin.bin"
        path.write_bytes(data or b"")
        source = str(path)
    with open(source, "rb") as handle:
        return mcgen(["kubeconform", "-summary"], stdin=handle.fileno())


def assert_handled(run: Run, code: int = 1) -> None:
    assert "Traceback" not in run.out and "this is a bug" not in run.out, run.out
    assert run.code == code, run.out


def test_binary_data_on_stdin(tmp_path: Path) -> None:
    data = random.Random(15).randbytes(256 * 1024)
    run = kubeconform_stdin(tmp_path, data)
    assert_handled(run)
    assert "failed validation" in run.out


def test_nul_and_control_bytes_on_stdin(tmp_path: Path) -> None:
    run = kubeconform_stdin(tmp_path, CM + b"---\n\x00\x01\x02: \x7f\n")
    assert_handled(run)
    assert "Valid: 1" in run.out and "Errors: 1" in run.out


@pytest.mark.slow
def test_100_mb_on_stdin_is_read_in_bounded_memory(tmp_path: Path) -> None:
    # One 100 MB document: kubeconform's scanner stops at 4 MiB (stream.go maxResourceSize).
    run = kubeconform_stdin(tmp_path, b"a: " + b"x" * (100 * MIB) + b"\n")
    assert_handled(run)
    assert "bufio.Scanner: token too long" in run.out
    assert run.peak_mib < 150 and run.seconds < 60, run


@pytest.mark.slow
def test_100_mb_of_documents_on_stdin(tmp_path: Path) -> None:
    blob = b"# " + b"z" * (1024 * 1024 - 4) + b"\n"  # 1 MiB comment lines, then a resource
    data = (blob * 3 + b"---\n") * 33 + CM
    run = kubeconform_stdin(tmp_path, data)
    assert_handled(run, 0)
    assert "1 resource found" in run.out and run.peak_mib < 150, run


def test_dev_zero_on_stdin(tmp_path: Path) -> None:
    run = kubeconform_stdin(tmp_path, None, "/dev/zero")
    assert_handled(run)
    assert "token too long" in run.out and run.seconds < 60


def test_dev_zero_as_a_file(tmp_path: Path) -> None:
    run = mcgen(["kubeconform", "/dev/zero"])
    assert_handled(run)
    assert "token too long" in run.out


def test_a_fifo_in_a_scanned_folder(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # nobody ever writes: opening it would block forever
    (tmp_path / "ok.yaml").write_bytes(CM)
    run = mcgen(["kubeconform", "-summary", str(tmp_path)])
    assert_handled(run)
    assert "not a regular file" in run.out and run.seconds < 30


def test_a_catastrophic_ignore_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    folder = tmp_path / ("a" * 60 + "!")
    folder.mkdir()
    (folder / "ok.yaml").write_bytes(CM)
    # `(a+)+$` backtracks exponentially in Python's re on 60 a's; RE2 is linear, as Go's is.
    run = mcgen(["kubeconform", "-summary", "-ignore-filename-pattern", "(a+)+$", str(tmp_path)])
    assert_handled(run, 0)
    assert "Valid: 1" in run.out and run.seconds < 30


def test_an_invalid_ignore_pattern_is_kubeconforms_exit_code(tmp_path: Path) -> None:
    run = mcgen(["kubeconform", "-ignore-filename-pattern", "(", str(tmp_path)])
    assert_handled(run)
    assert "missing )" in run.out


def test_a_byte_order_mark_is_read_as_kubectl_reads_it(tmp_path: Path) -> None:
    target = tmp_path / "bom.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + CM + b"---\n\xef\xbb\xbf" + CM.replace(b": a", b": b"))
    run = mcgen(["kubeconform", "-summary", str(target)])
    assert_handled(run, 0)
    assert "Valid: 2" in run.out
    lint = mcgen(["lint", str(target)])
    assert lint.code == 0, lint.out


def test_invalid_utf8_is_located_from_its_byte_offset(tmp_path: Path) -> None:
    target = tmp_path / "latin1.yaml"
    target.write_bytes(CM + b"data:\n  caf\xe9: x\n")
    lint = mcgen(["lint", str(target)])
    assert lint.code == 2 and f"{target}:6:6: error: not UTF-8 text: byte 0xe9" in lint.out
    run = mcgen(["kubeconform", str(target)])
    assert_handled(run)
    assert "invalid UTF-8 at line 6, column 6" in run.out


TEMPLATE_PATH = "templates/storefront/configmap.yaml.j2"


def test_a_template_with_a_byte_order_mark_renders_as_without(example_repo: Path) -> None:
    from conftest import run_cli

    body = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bom}\ndata: {a: b}\n"
    (example_repo / TEMPLATE_PATH).write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert run_cli("render", cwd=example_repo).code == 0
    written = [p.read_bytes() for p in (example_repo / "clusters").rglob("*bom*.yaml")]
    assert written and all(b"\xef\xbb\xbf" not in w and b"name: bom" in w for w in written)


def test_a_template_that_is_not_utf8_is_located(example_repo: Path) -> None:
    from conftest import run_cli, snapshot

    (example_repo / TEMPLATE_PATH).write_bytes(b"apiVersion: v1\nkind: ConfigMap\n# caf\xe9\n")
    before = snapshot(example_repo)
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2 and f"{TEMPLATE_PATH}:3:6: error: not UTF-8 text" in result.err
    assert "Traceback" not in result.err and snapshot(example_repo) == before
