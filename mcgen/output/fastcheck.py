"""What mcgen remembers of a fleet's tree between runs, and the no-op check it allows.

After a render (or a clean `--check`), mcgen writes an index (`tree-*.idx` in its state
folder, never in the work tree): a fingerprint of everything a render reads (the fleet
spec, every file its components' sources read, named in the index, and mcgen's own
code), each cluster's key, and for every file it owns one line with its size,
modification and change times, inode, digest and the key of what its text was made of.

- The next `render --check` whose inputs have the same fingerprint and whose files all
  have the same stat cannot find drift: it answers without rendering.
- A render trusts the digest of a file whose stat is unchanged (`load_index`), and
  skips clusters whose key is unchanged (`mcgen.output.caches`). A hand edit changes the
  change time, which nobody can set back, so it is always found.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from mcgen.output import noop
from mcgen.output.inputprint import CACHE_VERSION, input_fingerprint, state_file
from mcgen.output.noop import COARSE_TICK_NS, FINE_TICK_NS, Folder, Seen
from mcgen.output.statedir import state_dir
from mcgen.output.tree import FileStat, KnownFile, TreePlan
from mcgen.render.clusterkey import ClusterKey

__all__ = ["FINE_TICK_NS", "Index", "KeptTree", "input_fingerprint", "load_index", "remember",
           "state_file", "unchanged"]


class KeptTree(NamedTuple):
    """What the index and the no-op record held of the clusters a render kept (judged
    clean, never listed): copied into the new ones as they are."""

    files: Mapping[str, KnownFile]
    folders: Sequence[Folder]


def _cache_file(root: str, spec_path: str) -> str:
    return state_file(root, spec_path, "tree-*.idx")  # a JSON header, then a line a file


def remember(root: str, spec_path: str, plan: TreePlan, inputs: Iterable[str] = (),
             clusters: Mapping[str, ClusterKey] | None = None,
             known: Mapping[str, KnownFile] | None = None,
             fingerprint: str | None = None, kept: KeptTree | None = None) -> None:
    """Record the inputs (`inputs`: the values files and what the sources read), the
    key of each cluster, and each owned file's stat, digest and key, after a render or
    a clean check (`known`: the index `plan` was made with; `fingerprint`: the inputs'
    as they were before the render read them, else taken now); and the no-op check's
    record (`mcgen.output.noop`). One line per file: json would take longer than the
    render saves. `kept`: what a render kept without listing it."""
    if not os.path.isdir(state_dir(root)):
        return  # a check in a repository never rendered: leave no trace
    noop.forget(root, spec_path)
    seen = _seen(root, plan, known or {})
    if seen is None:
        return  # gone already: no index rather than a wrong one
    rows = [f"{f.path}\t{f.stat}\t{f.digest}\t{plan.keys.get(f.path, '')}\n"
            for f in seen if f.digest]
    kept = kept or KeptTree({}, ())
    rows.extend(f"{path}\t{e.stat}\t{e.digest}\t{e.key}\n" for path, e in kept.files.items())
    names = sorted(inputs)
    fingerprint = fingerprint or input_fingerprint(spec_path, root, names)
    head = {"version": CACHE_VERSION, "fleet": plan.fleet,
            "inputs": fingerprint, "read": names,
            "recorded": time.time_ns(), "tick": _tick(rows),
            "clusters": {name: list(known) for name, known in (clusters or {}).items()}}
    temporary = _cache_file(root, spec_path) + ".tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(head) + "\n")
            handle.writelines(rows)
        os.replace(temporary, _cache_file(root, spec_path))
    except OSError:  # a full disk: no index is only slower (the next run reads every file)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        with contextlib.suppress(OSError):
            os.unlink(_cache_file(root, spec_path))
        return
    if plan.folders:
        folders = noop.settled(root, plan.folders, {*plan.writes, *plan.deletes})
        noop.record(root, spec_path, (fingerprint, names), seen, folders, kept.folders)


def _seen(root: str, plan: TreePlan, known: Mapping[str, KnownFile]) -> list[Seen] | None:
    """Every file of the tree as the plan leaves it: the fleet's with their digests (as
    the plan saw them, as the index recorded them, or stat again after a write), then
    the others the plan saw in its folders. None if one is gone already."""
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


def _tick(rows: list[str]) -> int:
    """The file system's timestamp granularity, roughly: whole seconds (FAT, HFS+) show
    as times without nanoseconds; ext4, XFS, btrfs and APFS tick within milliseconds."""
    coarse = rows and all(row.split("\t")[2].endswith("000000000") for row in rows[:100])
    return COARSE_TICK_NS if coarse else FINE_TICK_NS


def _load(root: str, spec_path: str
          ) -> tuple[dict[str, object], dict[str, KnownFile], set[str]]:
    """The header, every file, and those recorded racily (whose time lies within a
    timestamp tick of the record). One pass: a large fleet's index has 100,000 lines."""
    files: dict[str, KnownFile] = {}
    racy: set[str] = set()
    with open(_cache_file(root, spec_path), encoding="utf-8") as handle:
        head = json.loads(handle.readline())
        if not isinstance(head, dict) or head.get("version") != CACHE_VERSION:
            raise ValueError("another version")
        cutoff = int(head["recorded"]) - int(head["tick"])
        for line in handle:
            path, rest = line.split("\t", 1)
            stats, digest, key = rest.rstrip("\n").rsplit("\t", 2)
            if stats.count("\t") != 3:
                raise ValueError(f"not an index line: {line!r}")
            if int(stats.split("\t", 2)[1]) >= cutoff:
                racy.add(path)
            files[path] = KnownFile(stats, digest, key)
    return head, files, racy


class Index(NamedTuple):
    """What the last render or clean check recorded of a fleet's tree."""

    known: dict[str, KnownFile]  # the files, less those recorded racily (see below)
    clusters: dict[str, ClusterKey]  # each cluster's key
    racy: frozenset[str]  # files whose time lies within a timestamp tick of the record
    digests: dict[str, str]  # of every file recorded, racy or not
    fleet: str = ""  # the fleet's name when recorded: its stamps name it

    @classmethod
    def empty(cls) -> Index:
        """No memory at all: every file is read, every cluster rendered."""
        return cls({}, {}, frozenset(), {})

    def of(self, fleet: str) -> Index:
        """This index if it was recorded for `fleet` (a renamed fleet restamps every
        file), else an empty one."""
        return self if self.fleet == fleet else Index.empty()


def load_index(root: str, spec_path: str) -> Index:
    """The index; an empty one when there is none usable.

    A file recorded racily is not trusted: a write in the same tick as the record would
    not have changed its time (git's "racily clean"). It is read again, and the next
    record trusts it.
    """
    try:
        head, files, racy = _load(root, spec_path)
        clusters = head.get("clusters") or {}
        if not isinstance(clusters, dict):
            raise TypeError("clusters")
    except (OSError, ValueError, KeyError, TypeError):
        return Index.empty()
    digests = {path: entry.digest for path, entry in files.items()}
    for path in racy:
        del files[path]
    return Index(files, _keys(clusters), frozenset(racy), digests,
                 str(head.get("fleet", "")))


def unchanged(root: str, spec_path: str) -> bool:
    """True when a check of this fleet is known to be clean without rendering."""
    return noop.clean(root, spec_path)


def _keys(clusters: dict[object, object]) -> dict[str, ClusterKey]:
    """The clusters' keys as recorded (`remember`); TypeError for anything else."""
    found: dict[str, ClusterKey] = {}
    for name, value in clusters.items():
        if not isinstance(value, list) or len(value) != len(ClusterKey._fields):
            raise TypeError("clusters")
        key, pieces, facts = value
        if not (isinstance(key, str) and isinstance(facts, str) and isinstance(pieces, list)
                and all(isinstance(p, str) for p in pieces)):
            raise TypeError("clusters")
        found[str(name)] = ClusterKey(key, tuple(pieces), facts)
    return found
