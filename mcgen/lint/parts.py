"""A large fleet's lint, a part at a time, the parts spread over the cores.

Each part is a shard of the fleet (`--shard K/N`: only its clusters rendered, its share
of the tree compared), at most `PART_CLUSTERS` clusters, linted in a forked worker; the
parts' findings merge as shards' reports merge (`mcgen.shard.merge`: what compares every
cluster is made from every part's facts), so the report is the one a single process
linting the fleet whole gives, while no process holds more than a part. The no-op check
and the render lock are taken once, by the run, for all of its parts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from mcgen.findings import Finding
from mcgen.fleet.model import Fleet
from mcgen.lint.incremental import ClusterMemo
from mcgen.lint.pending import Pending
from mcgen.lint.rules import rollout_order
from mcgen.output.transaction import locked
from mcgen.output.whole import PART_CLUSTERS
from mcgen.parallel import jobs, map_slices
from mcgen.shard import Report, merge

MIN_PART_CLUSTERS = 200  # below this one process lints a fleet whole (a fork costs more)


class PartLint(NamedTuple):
    """What linting one part found; `memo`, what an incremental lint keeps of its
    clusters (their findings left out), when asked for. `whole`: the fleet must be
    linted whole instead (a part failed to render, or the tree was never rendered)."""

    findings: list[Finding]
    objects: int
    pending: Pending | None
    memo: Mapping[str, ClusterMemo]
    whole: bool = False


WHOLE = PartLint([], 0, None, {}, whole=True)
# Part (K, N) linted as shard K of N; with True, placing every finding of its facts.
LintPart = Callable[[tuple[int, int], bool], PartLint]


def part_count(clusters: int) -> int:
    """Parts of at most `PART_CLUSTERS` clusters, as many as cores at least, a multiple
    of the cores (each process takes as many); 1 for a fleet linted whole."""
    cores = jobs()
    if clusters < MIN_PART_CLUSTERS or (cores < 2 and clusters <= PART_CLUSTERS):
        return 1
    wanted = max(cores, -(-clusters // PART_CLUSTERS))
    return -(-wanted // cores) * cores


def lint_in_parts(fleet: Fleet, linter: Callable[[], LintPart]) -> list[PartLint] | None:
    """Every part of the fleet linted, in part order; None where the fleet is small or
    must be linted whole. `linter` makes the part's lint, only for a fleet in parts and
    before any worker forks (what it asks once is shared by every part)."""
    count = part_count(len(fleet.clusters))
    if count < 2:
        return None
    lint_part = linter()

    def work(numbers: Sequence[int]) -> list[PartLint]:
        return [lint_part((number, count), False) for number in numbers]

    with locked(fleet.root, create=False):  # once for all parts (`locked` is re-entrant)
        done = map_slices(work, range(1, count + 1), min_per_worker=1)
        if any(part.whole for part in done):
            return None
        again = _to_place(fleet, done)

        def placing(numbers: Sequence[int]) -> list[PartLint]:
            return [lint_part((number, count), True) for number in numbers]

        for number, part in zip(again, map_slices(placing, again, min_per_worker=1),
                                strict=True):
            done[number - 1] = part
    return done


def _to_place(fleet: Fleet, parts: list[PartLint]) -> list[int]:
    """The parts whose clusters run a version ahead of an earlier wave: linted again,
    their findings placed (rare: a fleet in order places nothing)."""
    running = [item for part in parts if part.pending for item in part.pending.running]
    clusters = rollout_order.ahead(running)
    return [number for number, part in enumerate(parts, 1) if part.pending and any(
        item.cluster in clusters for item in part.pending.running)]


def merged(parts: Sequence[PartLint]) -> Report:
    """The parts' findings as one run's."""
    return merge(Report(part.findings, part.objects, [], [part.pending] if part.pending
                        else []) for part in parts)
