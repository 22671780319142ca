"""Spread CPU-bound work over the machine's cores, with results in input order.

Forked workers inherit the parent's memory (the rendered fleet), so nothing is sent to
them but a slice number; each sends back its slice's results, pickled. The results are
put back in input order, so output never depends on which worker finished first. Where
fork is missing, the input is small, or `MCGEN_JOBS=1`, the work runs in this process;
a worker that fails (killed, out of memory, an exception) makes its slice run here too,
so a failure in a worker never changes what mcgen does, only how fast.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

from mcgen import settings

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_PER_WORKER = 2_000  # below this a fork costs more than it saves


# Set while this process does its share beside its workers, and in a worker: neither
# forks workers of its own (the cores are taken already).
_IN_WORKER = False


@contextlib.contextmanager
def _busy() -> Iterator[None]:
    global _IN_WORKER
    before, _IN_WORKER = _IN_WORKER, True
    try:
        yield
    finally:
        _IN_WORKER = before


def jobs() -> int:
    """How many processes to use: MCGEN_JOBS, else the cores this process may run on
    (one while it works beside its workers, or in one)."""
    if _IN_WORKER:
        return 1
    wanted = settings.jobs()
    if wanted is not None:
        return wanted
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_slices(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
               min_per_worker: int = MIN_PER_WORKER, processes: int = 0) -> list[Result]:
    """`work` over `items`, split into one slice per core (or per `processes` when given);
    `work(slice)` must return one result per item of its slice. A worker is started for
    `min_per_worker` items at least."""
    count = min(processes or jobs(), len(items) // min_per_worker)
    if count < 2 or not hasattr(os, "fork"):
        return work(items)
    size = -(-len(items) // count)
    slices = [items[start:start + size] for start in range(0, len(items), size)]
    workers = [_fork(work, part) for part in slices[1:]]
    try:
        with _busy():
            results = work(slices[0])
    except BaseException:
        _stop(workers)  # none may go on writing once the caller gives up
        raise
    for (pid, reader), part in zip(workers, slices[1:], strict=True):
        results.extend(_collect(pid, reader, work, part))
    return results


def map_parts(work: Callable[[Sequence[Item]], list[Result]],
              parts: Sequence[Sequence[Item]]) -> list[Result]:
    """`work` over each of `parts` in its own process (the first in this one), when
    there are several parts, cores and fork; the results of all parts, in part order.
    For work whose caller balances the parts itself (by cost, not by count)."""
    parts = [part for part in parts if part]
    if len(parts) < 2 or not hasattr(os, "fork"):
        return [result for part in parts for result in work(part)]
    workers = [_fork(work, part) for part in parts[1:]]
    try:
        with _busy():
            results = work(parts[0])
    except BaseException:
        _stop(workers)
        raise
    for (pid, reader), part in zip(workers, parts[1:], strict=True):
        results.extend(_collect(pid, reader, work, part))
    return results


class Background(Generic[Result]):
    """`work()` started now in a forked process, while this one goes on: for work whose
    result is needed later (the stats of a tree, taken while the fleet loads). Its
    result is asked at most once; without fork or a second core there is no process,
    and `result` is None: the caller does the work its own way (perhaps less of it)."""

    def __init__(self, work: Callable[[], Result]) -> None:
        self._work = work
        self._worker = (_fork(self._once, [None]) if jobs() > 1 and hasattr(os, "fork")
                        else None)

    def _once(self, _: Sequence[None]) -> list[Result]:
        return [self._work()]

    def result(self) -> Result | None:
        """The work's result (done here if the process failed); None without one."""
        if self._worker is None:
            return None
        pid, reader = self._worker
        self._worker = None
        return _collect(pid, reader, self._once, [None])[0]

    def stop(self) -> None:
        """Stop the process if it still runs: its result will not be asked."""
        if self._worker is not None:
            _stop([self._worker])
            self._worker = None


def _fork(work: Callable[[Sequence[Item]], list[Result]], part: Sequence[Item]
          ) -> tuple[int, int]:
    reader, writer = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker: compute, send, and leave without running any cleanup
        global _IN_WORKER
        _IN_WORKER = True
        os.close(reader)
        code = 0
        try:
            _die_with(parent)
            data = pickle.dumps(work(part), protocol=pickle.HIGHEST_PROTOCOL)
            _send(writer, struct.pack("<Q", len(data)) + data)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


def _die_with(parent: int) -> None:
    """Let the kernel kill this worker if the process that forked it dies (SIGKILL, out
    of memory): a worker left behind would go on staging files and hold the state
    folder's lock (inherited) while the next run waits for it. Linux only; elsewhere a
    worker ends once its share is done."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # only a worker pays for it

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the kernel was told
        os._exit(1)


PR_SET_PDEATHSIG = 1  # prctl(2)


def _stop(workers: list[tuple[int, int]]) -> None:
    for pid, reader in workers:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(reader)


def _send(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def _collect(pid: int, reader: int, work: Callable[[Sequence[Item]], list[Result]],
             part: Sequence[Item]) -> list[Result]:
    with os.fdopen(reader, "rb") as handle:
        data = _received(handle)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or data is None:
        return work(part)
    results: list[Result] = pickle.loads(data)
    return results


def _received(handle: io.BufferedReader) -> bytearray | None:
    """What a worker sent: its size first, then the pickle, read into one buffer (a
    large fleet's plans are hundreds of megabytes: never held twice). None if short."""
    head = handle.read(8)
    if len(head) < 8:
        return None
    (size,) = struct.unpack("<Q", head)
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        count = handle.readinto(view[got:])
        if not count:
            return None
        got += count
    return data if not handle.read(1) else None
