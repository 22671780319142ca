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
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from mcgen.confine import escapes
from mcgen.output.transaction import JOURNAL, state_dir
from mcgen.output.tree import FileStat, KnownFile, TreePlan
from mcgen.render.memo import code_fingerprint

CACHE_VERSION = 6
FINE_TICK_NS = 100_000_000
COARSE_TICK_NS = 2_000_000_000


def _walk(folder: str) -> Iterable[str]:
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            yield os.path.join(current, name)


def input_fingerprint(spec_path: str, root: str, inputs: Iterable[str]) -> str:
    """A digest of everything a render of the fleet reads: mcgen's code, the spec (or
    each of its fragments), and every file of `inputs` (repo-relative files or folders:
    its values files and what its components' sources read,
    `mcgen.sources.registry.fleet_inputs`). The spec names the inputs, so inputs
    recorded with an unchanged spec are the ones a render would read now."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}\0{code_fingerprint()}".encode())
    paths = list(_walk(spec_path)) if os.path.isdir(spec_path) else [spec_path]
    for name in inputs:
        digest.update(f"input\0{name}\0".encode())
        full = os.path.join(root, *name.split("/"))
        if _readable_input(name) and os.path.isdir(full) and not os.path.islink(full):
            paths.extend(_walk(full))
        else:
            paths.append(full)
    for path in paths:
        digest.update(os.path.relpath(path, root).encode() + b"\0")
        digest.update(hashlib.sha256(_content(path, root)).digest())
    return digest.hexdigest()


def _readable_input(name: str) -> bool:
    """A recorded input is walked only if it names a place inside the repository (the
    index could have been planted)."""
    return not os.path.isabs(name) and ".." not in name.split("/")


def _content(path: str, root: str) -> bytes:
    """A regular file's bytes. Anything else stands for itself, unread: a FIFO or a
    link to /dev/zero planted in templates/ would hang the check or fill the memory."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        regular = False
    if regular and not escapes(path, root):
        with open(path, "rb") as handle:
            return handle.read()
    link = os.readlink(path) if os.path.islink(path) else ""
    return f"<not read: {link}>".encode()


def state_file(root: str, spec_path: str, name: str) -> str:
    """The file in mcgen's state folder called `name` ("tree-*.idx", "render-*.json")
    for a fleet, the `*` standing for the spec's path."""
    key = hashlib.sha256(os.path.relpath(os.path.abspath(spec_path), root).encode()).hexdigest()
    return os.path.join(state_dir(root), name.replace("*", key[:16]))


def _cache_file(root: str, spec_path: str) -> str:
    return state_file(root, spec_path, "tree-*.idx")  # a JSON header, then a line a file


def remember(root: str, spec_path: str, plan: TreePlan, inputs: Iterable[str] = (),
             clusters: Mapping[str, str] | None = None,
             known: Mapping[str, KnownFile] | None = None,
             fingerprint: str | None = None) -> None:
    """Record the inputs (`inputs`: the values files and what the sources read), the
    key of each cluster, and each owned file's stat, digest and key, after a render or
    a clean check (`known`: the index `plan` was made with; `fingerprint`: the inputs'
    as they were before the render read them, else taken now). One line per file: json
    would take longer than the render saves."""
    if not os.path.isdir(state_dir(root)):
        return  # a check in a repository never rendered: leave no trace
    known = known or {}
    rows: list[str] = []
    touched = {*plan.writes, *plan.deletes}
    for path, wanted in plan.digests.items():
        info = plan.infos.get(path) if path not in touched else None
        entry = known.get(path)
        if info is not None:
            stats = info.text
        elif path not in touched and entry is not None:
            stats = entry.stat  # the plan found it as recorded
        else:
            try:
                stats = FileStat.of(os.lstat(os.path.join(root, path))).text
            except OSError:
                return  # gone already: no index rather than a wrong one
        if "\t" in path or "\n" in path:
            return
        rows.append(f"{path}\t{stats}\t{wanted}\t{plan.keys.get(path, '')}\n")
    names = sorted(inputs)
    head = {"version": CACHE_VERSION, "fleet": plan.fleet,
            "inputs": fingerprint or input_fingerprint(spec_path, root, names), "read": names,
            "recorded": time.time_ns(), "tick": _tick(rows), "clusters": dict(clusters or {})}
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
    clusters: dict[str, str]  # each cluster's key
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
    return Index(files, {str(k): str(v) for k, v in clusters.items()}, frozenset(racy), digests,
                 str(head.get("fleet", "")))


def unchanged(root: str, spec_path: str) -> bool:
    """True when a check of this fleet is known to be clean without rendering."""
    if os.path.exists(os.path.join(state_dir(root), JOURNAL)):
        return False  # an interrupted render: the full path recovers it first
    try:
        head, files, _ = _load(root, spec_path)
        names = head["read"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return False
        if head["inputs"] != input_fingerprint(spec_path, root, names):
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    for path, entry in files.items():
        try:
            info = FileStat.of(os.lstat(os.path.join(root, path)))
        except OSError:
            return False
        if not entry.matches(info):
            return False
    return bool(files)
