"""`-n N`: judge resources on N processes, in rounds of bounded size, in input order.

Each round takes the next `ROUND_PER_WORKER * N` resources from the stream, fewer when
their text reaches `ROUND_BYTES` (so memory stays bounded however large the input, and
however large its documents: 2,048 documents of 4 MiB are not read ahead), and spreads
them over forked workers with `mcgen.parallel.map_slices`, which hands results back in
input order: output and exit code never depend on N. Notes a worker's registry made are
sent back with each result, so the parent reports the same notes, in the same order, as
a one-process run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import islice
from typing import NamedTuple

from mcgen.kubeconform.output import Result
from mcgen.kubeconform.resources import Resource
from mcgen.parallel import map_slices

ROUND_PER_WORKER = 512
ROUND_BYTES = 16 * 1024 * 1024  # the text a round reads ahead, whatever N is
MIN_PER_WORKER = 64  # below this a fork costs more than it saves


class Judged(NamedTuple):
    result: Result
    notes: tuple[str, ...]  # registry notes first made while judging this resource


def judge_all(resources: Iterable[Resource], judge: Callable[[Resource], Result],
              notes: list[str], workers: int) -> Iterator[Result]:
    """`judge` over `resources`, on `workers` processes; `notes` is the registry's list."""
    if workers < 2:
        yield from map(judge, resources)
        return
    stream = iter(resources)
    work = partial(_judge_slice, judge, notes)
    while batch := _round(stream, ROUND_PER_WORKER * workers):
        for judged in map_slices(work, batch, MIN_PER_WORKER, workers):
            notes.extend(n for n in judged.notes if n not in notes)
            yield judged.result


def _round(stream: Iterator[Resource], most: int) -> list[Resource]:
    """The next resources of `stream`: `most` of them, or fewer holding ROUND_BYTES."""
    batch: list[Resource] = []
    size = 0
    for resource in islice(stream, most):
        batch.append(resource)
        size += len(resource.text)
        if size >= ROUND_BYTES:
            break
    return batch


def _judge_slice(judge: Callable[[Resource], Result], notes: list[str],
                 part: Sequence[Resource]) -> list[Judged]:
    judged = []
    for resource in part:
        before = len(notes)
        result = judge(resource)
        judged.append(Judged(result, tuple(notes[before:])))
    return judged
