"""What mcgen remembers of a fleet's tree between runs, and the no-op check it allows.

After a render (or a clean `--check`), mcgen writes an index (`tree-*.idx` in its state
folder, never in the work tree): a fingerprint of everything a render reads (the fleet
spec, every file its components' sources read, named in the index, and mcgen's own
code), each cluster's key, and for every file it owns one line with its size,
modification and change times, inode, digest and the key of what its text was made of,
in a block file per cluster folder (`mcgen.output.index`).

- The next `render --check` whose inputs have the same fingerprint and whose files all
  have the same stat cannot find drift: it answers without rendering.
- A render trusts the digest of a file whose stat is unchanged (`load_index`), and
  skips clusters whose key is unchanged (`mcgen.output.caches`). A hand edit changes the
  change time, which nobody can set back, so it is always found.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from mcgen.output import noop
from mcgen.output.index import (
    Block,
    BlockStore,
    Index,
    block_of,
    index_text,
    keys_text,
    read_index,
)
from mcgen.output.inputprint import CACHE_VERSION, input_fingerprint, state_file
from mcgen.output.noop import COARSE_TICK_NS, FINE_TICK_NS, Recorded, Seen
from mcgen.output.statedir import state_dir
from mcgen.output.subtrees import top_of
from mcgen.output.tree import FileStat, KnownFile, TreePlan
from mcgen.render.clusterkey import ClusterKey

__all__ = ["FINE_TICK_NS", "Index", "KeptTree", "input_fingerprint", "load_index", "remember",
           "state_file", "unchanged"]


class KeptTree(NamedTuple):
    """What the index and the no-op record held of the clusters a render kept (judged
    clean, never listed): copied into the new ones as they are."""

    blocks: Mapping[str, Block]  # the index's, by cluster folder
    folders: Sequence[Recorded]  # the no-op record's rows


def index_file(root: str, spec_path: str) -> str:
    return state_file(root, spec_path, "tree-*.idx")  # a JSON header, then a line a block


def _store(root: str, spec_path: str) -> BlockStore:
    return BlockStore(state_file(root, spec_path, "tree-*.blocks"))  # a file a block


def remember(root: str, spec_path: str, plan: TreePlan, inputs: Iterable[str] = (),
             clusters: Mapping[str, ClusterKey] | None = None,
             known: Mapping[str, KnownFile] | None = None,
             fingerprint: str | None = None, kept: KeptTree | None = None,
             groups: frozenset[str] = frozenset(),
             landed: Mapping[str, str | None] | None = None) -> None:
    """Record the inputs (`inputs`: the values files and what the sources read), the
    key of each cluster, and each owned file's stat, digest and key, after a render or
    a clean check (`known`: the index `plan` was made with; `fingerprint`: the inputs'
    as they were before the render read them, else taken now); and the no-op check's
    record (`mcgen.output.noop`). One line per file: json would take longer than the
    render saves. `kept`: what a render kept without listing it; `groups`: the
    cluster folders, each file's block (`mcgen.output.index`); `landed`: the stat of
    each file the render moved in, taken by the workers that moved it."""
    if not os.path.isdir(state_dir(root)):
        return  # a check in a repository never rendered: leave no trace
    noop.forget(root, spec_path)
    seen = _seen(root, plan, known or {}, landed or {})
    if seen is None:
        return  # gone already: no index rather than a wrong one
    kept = kept or KeptTree({}, ())
    blocks = _blocks(seen, plan.keys, groups)
    blocks.update(kept.blocks)
    names = sorted(inputs)
    fingerprint = fingerprint or input_fingerprint(spec_path, root, names)
    head = {"version": CACHE_VERSION, "fleet": plan.fleet,
            "inputs": fingerprint, "read": names,
            "recorded": time.time_ns(), "tick": _tick(seen),
            **keys_text(clusters or {})}
    if not _write_index(root, spec_path, head, blocks):
        return
    if plan.folders:
        folders = noop.settled(root, plan.folders, {*plan.writes, *plan.deletes})
        noop.record(root, spec_path, (fingerprint, names), seen, folders, kept.folders)


def _write_index(root: str, spec_path: str, head: Mapping[str, object],
                 blocks: Mapping[str, Block]) -> bool:
    """The blocks this run made, then the index naming them, each atomically; then the
    blocks no longer named are pruned. False, and no index, if the disk refused (no
    index is only slower: the next run reads every file)."""
    store = _store(root, spec_path)
    temporary = index_file(root, spec_path) + ".tmp"
    try:
        store.write(blocks.values())
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.writelines(index_text(head, blocks))
        os.replace(temporary, index_file(root, spec_path))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        with contextlib.suppress(OSError):
            os.unlink(index_file(root, spec_path))
        return False
    store.prune(blocks.values())
    return True


def _seen(root: str, plan: TreePlan, known: Mapping[str, KnownFile],
          landed: Mapping[str, str | None]) -> list[Seen] | None:
    """Every file of the tree as the plan leaves it: the fleet's with their digests (as
    the plan saw them, as the index recorded them, or as they `landed` after a write,
    else stat again), then the others the plan saw in its folders. None if one is gone
    already."""
    touched = {*plan.writes, *plan.deletes}
    seen: list[Seen] = []
    for path, wanted in plan.digests.items():
        if "\t" in path or "\n" in path:
            return None
        info = plan.infos.get(path) if path not in touched else None
        entry = known.get(path)
        if info is None and path not in touched and entry is not None:
            seen.append(Seen(path, entry.stat, stat.S_IFREG >> 12, wanted))
            continue  # the plan found it as recorded
        if info is None and path in landed:  # moved in: a regular file
            text = landed[path]
            if text is None:
                return None
            seen.append(Seen(path, text, stat.S_IFREG >> 12, wanted))
            continue
        if info is None:
            try:
                info = FileStat.of(os.lstat(os.path.join(root, path)))
            except OSError:
                return None
        seen.append(Seen(path, info.text, info.mode >> 12, wanted))
    for path, found in plan.infos.items():
        if path not in plan.digests and path not in touched and found is not None:
            seen.append(Seen(path, found.text, found.mode >> 12, ""))
    return seen


def _blocks(seen: list[Seen], keys: Mapping[str, str], groups: frozenset[str]
            ) -> dict[str, Block]:
    """The index rows of the fleet's files in `seen`, in a block per group. A group's
    block is made once its run of files ends (the tree comes folder by folder): the
    rows of a million files are never all held beside their blocks."""
    blocks: dict[str, Block] = {}
    group, rows = "", list[str]()
    for f in seen:
        if f.digest:
            here = _group(f.path, groups)
            if here != group:
                _close(blocks, group, rows)
                group, rows = here, []
            rows.append(f"{f.path}\t{f.stat}\t{f.digest}\t{keys.get(f.path, '')}\n")
    _close(blocks, group, rows)
    return blocks


def _close(blocks: dict[str, Block], group: str, rows: list[str]) -> None:
    """`group`'s block, with `rows` after those it has already (a group met again)."""
    if rows:
        earlier = blocks.get(group)
        blocks[group] = block_of([earlier.rows or "", *rows] if earlier else rows)


def _group(path: str, groups: frozenset[str]) -> str:
    """The folder of `groups` that `path` lies in, or ""."""
    return top_of(path.rpartition("/")[0], groups) or ""


def _tick(seen: list[Seen]) -> int:
    """The file system's timestamp granularity, roughly: whole seconds (FAT, HFS+) show
    as times without nanoseconds; ext4, XFS, btrfs and APFS tick within milliseconds."""
    coarse = seen and all(f.stat.split("\t")[1].endswith("000000000") for f in seen[:100])
    return COARSE_TICK_NS if coarse else FINE_TICK_NS


def load_index(root: str, spec_path: str, wanted: Callable[[str], bool] | None = None,
               head_only: bool = False) -> Index:
    """The index (`mcgen.output.index`), with the blocks of the groups `wanted` (default:
    all; `head_only`: none, and the file is not read past its header); an empty one when
    there is none usable."""
    try:
        with open(index_file(root, spec_path), encoding="utf-8") as handle:
            lines = itertools.islice(handle, 1) if head_only else handle
            return read_index(lines, CACHE_VERSION, _store(root, spec_path), wanted)
    except (OSError, ValueError, KeyError, TypeError):
        return Index.empty()


def unchanged(root: str, spec_path: str, judged: noop.Judged | None = None) -> bool:
    """True when a check of this fleet is known to be clean without rendering; with
    `judged` (`TreeJudge.verdict`), a tree judged wholly as recorded is not stat again."""
    return noop.clean(root, spec_path, judged)

