"""What mcgen remembers of a fleet between runs, behind one door.

These caches live in mcgen's state folder, never in the work tree, and none is a source
of truth (a missing, corrupt or foreign one only costs time):

- the index (`mcgen.output.fastcheck`): a fingerprint of every input, each cluster's
  key (with the facts it was made from, `mcgen.render.pairs`), and each owned file's
  stat, digest and key, as the last render left them; with it, the no-op record
  (`mcgen.output.noop`): every folder's stat and its files' stats, by folder;
- the render memo (`mcgen.render.memo`): the texts of the last run's pieces by key;
- the lint memo (`mcgen.lint.incremental`): each cluster's findings as the last lint
  made them, with the keys and stats they hold for;
- below them all, the fleet spec as last parsed (`mcgen.fleet.parsed`), asked by the
  fleet load itself: "is this the text I read last time?".

The pipeline asks them its questions here: "is this fleet unchanged?" (`unchanged`,
answered without loading the fleet), "which clusters may be kept?" (`FleetCache.may_keep`:
those whose key is the one recorded and whose whole folder is as the no-op record has
it: no file in it edited, added or removed, so the plan passes over it and the records
copy its rows; judged in second processes since the run began, `judge_ahead`, or when
asked), and it hands back what a run learnt
(`FleetCache.keep`). The work of a run is thus the clusters that changed, plus one
stat per file of the others.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from mcgen.fleet.discover import repo_root_of
from mcgen.fleet.model import Fleet
from mcgen.output import noop
from mcgen.output.fastcheck import (
    Index,
    KeptTree,
    index_file,
    input_fingerprint,
    load_index,
    remember,
    state_file,
)
from mcgen.output.fastcheck import unchanged as index_unchanged
from mcgen.output.inputprint import files_fingerprint
from mcgen.output.subtrees import Subtrees, TreeJudge, judged_spec, stop_early, take_early
from mcgen.output.transaction import JOURNAL, state_dir
from mcgen.output.tree import KnownFile, TreePlan
from mcgen.parallel import map_slices
from mcgen.render.clusterkey import ClusterKey
from mcgen.render.engine import RenderedFleet
from mcgen.render.memo import RenderMemo, load_memo, save_memo
from mcgen.sources.registry import fleet_inputs

Loaded = TypeVar("Loaded")
# What `_read_once` read, by file: the file's identity then (inode, size, time), and what
# was read of it. Forked parts of a lint inherit it from the process that read it first.
_READ: dict[str, tuple[tuple[int, int, int], object]] = {}


def _read_once(path: str, load: Callable[[], Loaded]) -> Loaded:
    """`load()`, which reads the file at `path` (read-only from then on), made once while
    the file stays as it was: mcgen replaces its state files, never edits them in place,
    so a new file is a new inode."""
    try:
        info = os.stat(path)
    except OSError:
        return load()
    identity = (info.st_ino, info.st_size, info.st_mtime_ns)
    found = _READ.get(path)
    if found is None or found[0] != identity:
        found = _READ[path] = (identity, load())
    return found[1]  # type: ignore[return-value]  # stored by the same `load`


def read_ahead(fleet: Fleet) -> None:
    """Read what a lint's render of any part of `fleet` reads of the state folder (the
    texts, the recorded keys), before its parts fork: each reads it once, not once a part."""
    FleetCache(fleet, reuse=False, recorded=True)


@contextlib.contextmanager
def judging(specs: Iterable[str]) -> Iterator[dict[str, TreeJudge]]:
    """`judge_ahead` for the length of a run: any judge not asked by then is stopped."""
    judges = judge_ahead(specs)
    try:
        yield judges
    finally:
        for judge in judges.values():
            judge.stop()


def judge_ahead(specs: Iterable[str]) -> dict[str, TreeJudge]:
    """Each fleet's tree judged against its no-op record from now on, in second
    processes, while the fleets load (`mcgen.output.subtrees`), by spec path as a
    `FleetCache` names it; those the program's first code started are taken
    (`start_judges`), the others it started stopped."""
    judges = {}
    for spec in specs:
        root, path = judged_spec(spec)
        judges[path] = take_early(path) or TreeJudge(root, path)
    stop_early()  # started before the CLI loaded for fleets this run does not read
    return judges


def unchanged(spec: str) -> bool:
    """Whether a check of the fleet at `spec` is known to be clean without rendering."""
    return index_unchanged(repo_root_of(spec), spec)


def lint_memo_file(fleet: Fleet) -> str:
    """Where the last lint of the fleet left what an incremental lint reuses
    (`mcgen.lint.incremental`)."""
    return state_file(fleet.root, os.path.join(fleet.root, fleet.spec_path), "lint-*.json")


def read_lint_memo(fleet: Fleet) -> str | None:
    """The text the last lint left, or None."""
    try:
        with open(lint_memo_file(fleet), encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def write_lint_memo(fleet: Fleet, text: str) -> None:
    """Keep `text` for the next lint, atomically, where mcgen keeps its state; a
    repository never rendered keeps no trace, and a failure only costs time."""
    path = lint_memo_file(fleet)
    if not os.path.isdir(os.path.dirname(path)):
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError:
        if os.path.exists(temporary):
            os.unlink(temporary)


def trusted_files(fleet: Fleet, shard: tuple[frozenset[str], bool] | None = None
                  ) -> Mapping[str, KnownFile]:
    """The files the index trusts as the last render left them (stat, digest, key), for
    `output-drift`'s compare: a file whose stat and key are unchanged is neither read nor
    emitted, as in a render. With `shard` (its clusters, and whether it is the first),
    only those of its share of the tree (`mcgen.output.sharding`). Call it under the
    lock, after any journal is replayed."""
    spec = os.path.join(fleet.root, fleet.spec_path)
    if shard is None:
        return load_index(fleet.root, spec).of(fleet.name).known
    mine, first = shard
    top = posixpath.normpath(fleet.output.dir)
    own = {posixpath.join(top, cluster) for cluster in mine}
    others = {posixpath.join(top, cluster) for cluster in fleet.clusters if cluster not in mine}
    return load_index(fleet.root, spec, lambda group: group in own or (
        first and group not in others)).of(fleet.name).known


class FleetCache:
    """One fleet's caches; with `reuse`, its clusters and files as the index recorded
    them, else everything is rendered and read (the texts are always reused). With
    `recorded` and without `reuse`, the keys the last render recorded: a cluster whose
    facts are unchanged renders from its recorded pieces (none is kept as it is)."""

    def __init__(self, fleet: Fleet, reuse: bool, judge: TreeJudge | None = None,
                 recorded: bool = False) -> None:
        self.fleet = fleet
        self.spec = os.path.join(fleet.root, fleet.spec_path)
        # A render interrupted after its commit point is replayed under the lock, after
        # the clusters to keep are chosen: with a journal pending, none is kept.
        index = (load_index(fleet.root, self.spec) if reuse and not _pending(fleet.root)
                 else Index.empty())
        self.index = index.of(fleet.name)  # a renamed fleet's files are all restamped
        memo_file = self._memo_file
        self.texts = RenderMemo(stored=_read_once(memo_file, lambda: load_memo(memo_file).stored))
        self._known: dict[frozenset[str], Mapping[str, KnownFile]] = {}
        # The no-op record's folders, by cluster: a cluster is kept only if its whole
        # subtree is as recorded (nothing edited, added or removed), judged since the
        # run began (`judge`, made by `judge_ahead`) or when asked.
        if judge is not None and (judge.spec_path != self.spec or not self.index.clusters):
            judge.stop()
            judge = None
        self._trees = (Subtrees(judge or TreeJudge(fleet.root, self.spec, ahead=False),
                                self.folders_of(fleet.clusters))
                       if self.index.clusters else None)  # nothing to keep: no record read
        # What the render is about to read, taken before it reads: an input changed while
        # it renders must make the recorded fingerprint stale, never describe the change.
        self._inputs = (*values_files(fleet), *fleet_inputs(fleet))
        self._fingerprint = (input_fingerprint(self.spec, fleet.root, sorted(self._inputs))
                             if reuse else None)
        # What the sources read, by content: with the fleet model, a cluster's facts.
        self.inputs_print = files_fingerprint(fleet.root, fleet_inputs(fleet)) if reuse else ""
        self._last: Mapping[str, ClusterKey] = {}
        if recorded and not reuse:
            self._last, self.inputs_print = self.last_render()

    @property
    def _memo_file(self) -> str:
        return state_file(self.fleet.root, self.spec, "render-*.json")

    @property
    def keeps_clusters(self) -> bool:
        return bool(self.index.clusters)

    @property
    def recorded_keys(self) -> Mapping[str, ClusterKey]:
        return self.index.clusters or self._last

    def last_render(self) -> tuple[Mapping[str, ClusterKey], str]:
        """The keys the last render recorded and the sources' inputs print now, for a
        run that renders all (a lint) but chooses by keys (`mcgen.render.pairs`)."""
        if _pending(self.fleet.root):
            return {}, ""
        index = self.index if self.index.clusters else _read_once(
            index_file(self.fleet.root, self.spec),
            lambda: load_index(self.fleet.root, self.spec, head_only=True))
        printed = self.inputs_print or files_fingerprint(self.fleet.root,
                                                         fleet_inputs(self.fleet))
        return index.of(self.fleet.name).clusters, printed

    def may_keep(self, keys: Mapping[str, str]) -> frozenset[str]:
        """The clusters of `keys` to keep as they are; ask it under the lock."""
        candidates = [c for c, key in keys.items() if self._recorded(c, key)]
        trees = self._trees
        if trees is None:
            return frozenset()
        if not candidates or not trees.judge.current():  # none to keep, or a render
            trees.judge.stop()  # changed the tree since the record was read
            return frozenset()
        unsettled = trees.judge.unsettled()
        if unsettled is not None:
            return frozenset(c for c in candidates if trees.clean(self._folder(c), unsettled))

        def judged(part: Sequence[str]) -> list[bool]:
            return [trees.clean(self._folder(cluster)) for cluster in part]

        verdicts = map_slices(judged, candidates, CLUSTERS_PER_WORKER)
        return frozenset(c for c, ok in zip(candidates, verdicts, strict=True) if ok)

    def _recorded(self, cluster: str, key: str) -> bool:
        recorded = self.index.clusters.get(cluster)
        return (recorded is not None and recorded.key == key
                and self.index.settled(self._folder(cluster)))

    def _folder(self, cluster: str) -> str:
        return posixpath.join(posixpath.normpath(self.fleet.output.dir), cluster)

    def folders_of(self, clusters: Iterable[str]) -> frozenset[str]:
        """The repo-relative folders of `clusters` (a plan passes over the kept ones)."""
        return frozenset(self._folder(cluster) for cluster in clusters)

    def kept_tree(self, clusters: Iterable[str]) -> KeptTree:
        """What the index and the no-op record hold of the kept `clusters`, to copy."""
        folders = sorted(self.folders_of(clusters))
        blocks = {folder: self.index.blocks[folder] for folder in folders}
        rows = ([row for folder in folders for row in self._trees.rows(folder)]
                if self._trees is not None else [])
        return KeptTree(blocks, rows)

    def kept_files(self, clusters: Iterable[str]) -> int:
        """How many files the kept `clusters` have."""
        return sum(self.index.blocks[f].files for f in self.folders_of(clusters)
                   if f in self.index.blocks)

    def known(self, kept: frozenset[str] = frozenset()) -> Mapping[str, KnownFile]:
        """Every file the index trusts, as mcgen left it, but those of the `kept`
        clusters (read from the index only now: a kept cluster's rows are never read)."""
        found = self._known.get(kept)
        if found is None:
            skipped = self.folders_of(kept)
            found = self.index.files(g for g in self.index.blocks if g not in skipped)
            self._known[kept] = found
        return found

    def forget(self) -> None:
        """Drop what no longer describes the tree (after a shard wrote its part): the
        no-op record. The index stays: it is checked file by file."""
        noop.forget(self.fleet.root, self.spec)

    def keep(self, rendered: RenderedFleet, plan: TreePlan | None = None,
             check: bool = False, landed: Mapping[str, str | None] | None = None
             ) -> None:
        """Remember what a run learnt: its texts unless it only checked, and the tree
        `plan` saw when it wrote it or found it clean (`landed`: the files it moved in,
        as they landed). A repository never rendered keeps no trace."""
        folder = os.path.dirname(self._memo_file)
        if not check and rendered.memo is not None and os.path.isdir(folder):
            save_memo(rendered.memo, self._memo_file)
        if plan is not None and (not check or plan.clean):
            remember(self.fleet.root, self.spec, plan, self._inputs, rendered.cluster_keys,
                     self.known(rendered.reused), self._fingerprint,
                     self.kept_tree(rendered.reused), self.folders_of(self.fleet.clusters),
                     landed)


CLUSTERS_PER_WORKER = 200  # a cluster's folders take a millisecond or so to judge


def _pending(root: str) -> bool:
    """Whether a render interrupted after its commit point waits to be replayed."""
    return os.path.exists(os.path.join(state_dir(root), JOURNAL))


def values_files(fleet: Fleet) -> tuple[str, ...]:
    """The values files the fleet reads (`valuesFiles:`), for the no-op fingerprint."""
    return tuple(path for path in fleet.inputs if not path.startswith(fleet.spec_path))
