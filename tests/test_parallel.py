"""Work spread over cores gives what one process gives, in order, even when a worker dies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import ROOT, snapshot

from mcgen import parallel

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

ITEMS = list(range(3 * parallel.MIN_PER_WORKER + 7))


def squares(part: Sequence[int]) -> list[tuple[int, int]]:
    return [(n, n * n) for n in part]


def test_slices_come_back_in_input_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "3")
    assert parallel.map_slices(squares, ITEMS) == squares(ITEMS)


def test_a_failing_worker_is_redone_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "2")
    parent = os.getpid()

    def dies_in_workers(part: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != parent:
            os._exit(9)  # as if killed
        return squares(part)

    assert parallel.map_slices(dies_in_workers, ITEMS) == squares(ITEMS)


def test_small_inputs_and_one_job_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()

    def here(part: Sequence[int]) -> list[int]:
        assert os.getpid() == parent
        return list(part)

    assert parallel.map_slices(here, ITEMS[:10]) == ITEMS[:10]
    monkeypatch.setenv("MCGEN_JOBS", "1")
    assert parallel.map_slices(here, ITEMS) == ITEMS


@pytest.mark.slow
def test_a_parallel_render_writes_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    trees = {}
    for jobs in ("1", "2"):
        repo = tmp_path / jobs
        write_fleet(repo, 40, 20)  # 4,000 files: past MIN_PER_WORKER per worker
        env = {**os.environ, "MCGEN_JOBS": jobs}
        subprocess.run([sys.executable, "-m", "mcgen", "render", "-q"], cwd=repo, env=env,
                       check=True)
        trees[jobs] = snapshot(repo / "clusters")
    assert len(trees["1"]) > 2 * parallel.MIN_PER_WORKER
    assert trees["1"] == trees["2"]


def test_a_failure_here_stops_the_workers_and_is_raised(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "2")
    parent = os.getpid()
    marks = tmp_path / "marks"
    marks.mkdir()

    def fails_here(part: Sequence[int]) -> list[int]:
        if os.getpid() == parent:
            raise OSError("disk full")
        time.sleep(0.3)  # a slow worker: it must be stopped, not left writing
        (marks / str(os.getpid())).write_text("late\n")
        return list(part)

    with pytest.raises(OSError, match="disk full"):
        parallel.map_slices(fails_here, ITEMS)
    time.sleep(0.8)  # a worker left running would have written its mark by now
    assert list(marks.iterdir()) == []


def test_parts_each_run_in_their_own_process_and_come_back_in_order() -> None:
    parent = os.getpid()

    def pids(part: Sequence[int]) -> list[tuple[int, bool]]:
        return [(n, os.getpid() == parent) for n in part]

    got = parallel.map_parts(pids, [[1, 2], [], [3], [4, 5]])
    assert [n for n, _ in got] == [1, 2, 3, 4, 5]
    assert [here for _, here in got] == [True, True, False, False, False]


def test_a_part_whose_worker_dies_is_redone_here() -> None:
    parent = os.getpid()

    def dies_in_workers(part: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != parent:
            os._exit(9)
        return squares(part)

    assert parallel.map_parts(dies_in_workers, [[1], [2, 3], [4]]) == squares([1, 2, 3, 4])


def test_background_work_comes_back_from_another_process(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "2")
    assert parallel.Background(os.getpid).result() not in (None, os.getpid())


def test_background_work_whose_process_dies_is_done_here(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "2")
    parent = os.getpid()

    def dies_there() -> int:
        if os.getpid() != parent:
            os._exit(9)  # as if killed
        return 42

    assert parallel.Background(dies_there).result() == 42


def test_without_a_second_core_nothing_runs_in_the_background(monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "1")
    ran: list[int] = []
    assert parallel.Background(lambda: ran.append(1)).result() is None
    assert ran == []


def test_stopped_background_work_ends_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_JOBS", "2")
    started = time.monotonic()
    work = parallel.Background(lambda: time.sleep(60))
    work.stop()
    assert time.monotonic() - started < 10
    assert work.result() is None  # stopped: nothing to ask


WORKER_LEFT_ALONE = """
import os, sys, time
from mcgen import parallel

def work(part):
    if part == [2]:  # the forked worker's share (the first is the main process's)
        with open(sys.argv[1], "w") as handle:
            handle.write(str(os.getpid()))
    time.sleep(60)
    return list(part)

parallel.map_parts(work, [[1], [2]])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_with_the_process_that_forked_it(tmp_path: Path) -> None:
    """The main process killed (SIGKILL, out of memory): its workers go too, and do not
    go on staging files or holding the state folder's lock for the next run."""
    said = tmp_path / "worker"
    script = tmp_path / "main.py"
    script.write_text(WORKER_LEFT_ALONE)
    main = subprocess.Popen([sys.executable, str(script), str(said)], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not said.exists() or not said.read_text():
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.05)
    worker = int(said.read_text())
    assert _alive(worker)
    main.kill()
    main.wait()
    deadline = time.monotonic() + 10
    while _alive(worker):
        assert time.monotonic() < deadline, "the worker outlived its parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"  # a zombie is dead, unreaped
    except FileNotFoundError:
        return False
