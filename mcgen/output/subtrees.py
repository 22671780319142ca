"""A fleet's tree judged cluster by cluster against the no-op record
(`mcgen.output.noop`): whether a cluster's whole folder is as the record has it, so a
render may keep the cluster without listing it, and the record's lines of that folder,
to copy into the next record unread.

Judging is one stat per file and folder of the tree. A render or a plain lint starts it
in second processes from the program's first line (`start_judges`), else as soon as it
knows its fleet specs (`TreeJudge`), and loads the fleet and makes its keys meanwhile
(a lint also digests the clusters by it, `mcgen.lint.incremental`); under the lock,
the judgement holds only if the record is still the one judged (a render that changes
the tree drops every record first, `mcgen.output.noop.forget_all`). Without a second
core, each cluster that may be kept is judged when asked, in this process.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Set
from functools import partial

from mcgen.fleet.discover import repo_root_of
from mcgen.output.noop import (
    Judged,
    Record,
    Recorded,
    folder_clean,
    head,
    load_record,
    path_of,
    read_folder,
    unsettled,
)
from mcgen.parallel import Background, jobs

LINES_PER_PROCESS = 500  # folders; a process judges a few thousand in a tenth of a second


class TreeJudge:
    """A fleet's no-op record, and which of its folders are no longer as it has them,
    judged in a second process from the moment this is made."""

    def __init__(self, root: str, spec_path: str, ahead: bool = True) -> None:
        self.root = root
        self.spec_path = spec_path
        self.record: Record | None = load_record(root, spec_path)
        lines = self.record.folders if self.record is not None else []
        count = jobs() if ahead and len(lines) >= LINES_PER_PROCESS else 1
        size = -(-len(lines) // count)
        self._judged = [Background(partial(unsettled, root, lines[start:start + size]))
                        for start in range(0, len(lines), size)] if count > 1 else []
        self._found: frozenset[str] | None = None

    def unsettled(self) -> frozenset[str] | None:
        """The record's folders changed since it was made (or too recent to trust), if
        judged in second processes; None: judge each folder when needed."""
        if self._found is None and self._judged:
            found = [judged.result() for judged in self._judged]
            self._judged = []
            if all(part is not None for part in found):
                self._found = frozenset().union(*(p for p in found if p is not None))
        return self._found

    def verdict(self) -> Judged | None:
        """The record and its unsettled folders, where judged in second processes and
        the record is still the current one; None otherwise."""
        found = self.unsettled()
        if self.record is None or found is None or not self.current():
            return None
        return Judged(self.record, found)

    def stop(self) -> None:
        """Nothing will be kept: stop judging."""
        for judged in self._judged:
            judged.stop()

    def current(self) -> bool:
        """Whether the record is still the one judged (ask it under the lock)."""
        return self.record is not None and head(self.root, self.spec_path) == self.record.head


# Judges started by the program's first code, before the CLI loads (`judge_early`),
# by spec path: the run's `mcgen.output.caches.judge_ahead` takes them.
_EARLY: dict[str, TreeJudge] = {}


def judged_spec(spec: str) -> tuple[str, str]:
    """The repository root of the fleet spec `spec` and the spec's path as a fleet
    names it, root joined with its relative path."""
    root = repo_root_of(spec)
    return root, os.path.join(root, os.path.relpath(os.path.abspath(spec), root))


def start_judges(specs: Iterable[str]) -> dict[str, TreeJudge]:
    """Judge the trees of `specs` from the program's first code (`mcgen.fastpath`),
    before the CLI and the renderer load; the run takes them (`take_early`). All the
    judges started early, by spec path."""
    for spec in specs:
        root, path = judged_spec(spec)
        if path not in _EARLY:
            _EARLY[path] = TreeJudge(root, path)
    return dict(_EARLY)


def take_early(spec_path: str) -> TreeJudge | None:
    """The judge started early for `spec_path`, once; None if none was."""
    return _EARLY.pop(spec_path, None)


def stop_early() -> None:
    """Stop every judge started early that no fleet of this run took."""
    while _EARLY:
        _EARLY.popitem()[1].stop()


class Subtrees:
    """The record's folders by the subtree they lie in (a cluster's folder), to judge a
    subtree as the no-op check judges the whole tree, and to copy its rows into the next
    record when a render keeps it without listing it."""

    def __init__(self, judge: TreeJudge, tops: Iterable[str]) -> None:
        self.judge = judge
        found = judge.record
        self._lines: dict[str, list[str]] = {}
        self._racy: set[str] = set()
        wanted = {top.rstrip("/") for top in tops}
        for line in (found.folders if found is not None else ()):
            top = top_of(path_of(line), wanted)
            if top is not None:
                self._lines.setdefault(top, []).append(line)
        for path, _ in (found.racy if found is not None else ()):
            top = top_of(path.rpartition("/")[0], wanted)
            if top is not None:
                self._racy.add(top)

    def clean(self, top: str, unsettled: frozenset[str] | None = None) -> bool:
        """Whether the subtree at `top` is exactly as recorded, every file and folder
        settled (none too recent to trust by its stat): nothing added, removed or edited.
        With `unsettled` (`TreeJudge.unsettled`) that is looked up, else judged now."""
        lines = self._lines.get(top, ())
        if top in self._racy or not any(path_of(line) == top for line in lines):
            return False
        if unsettled is not None:
            return not any(path_of(line) in unsettled for line in lines)
        rows = [read_folder(line) for line in lines]
        return all(row is not None and row.listing is None
                   and folder_clean(self.judge.root, row) for row in rows)

    def rows(self, top: str) -> list[Recorded]:
        """The recorded rows of the subtree at `top` (judged `clean`)."""
        return [Recorded(path_of(line), line) for line in self._lines.get(top, ())]


def top_of(path: str, tops: Set[str]) -> str | None:
    """The folder of `tops` that `path` is or lies in, if any (a cluster's folder)."""
    while path and path not in tops:
        path = path.rpartition("/")[0]
    return path or None
