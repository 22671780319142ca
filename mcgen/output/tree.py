"""Compare the desired tree with the one on disk: what to write, remove, or report."""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Protocol

from mcgen.errors import InputError
from mcgen.location import Location, Problem
from mcgen.output.ownership import digest, read_record, record_path, record_text
from mcgen.output.pathsafety import unsafe
from mcgen.parallel import map_slices
from mcgen.secrets.redact import redact_pair


@dataclass(frozen=True)
class TreePlan:
    """What a render changes. `record` is the ownership record's repo-relative path."""

    root: str
    record: str
    desired: Mapping[str, bytes] = field(repr=False)
    writes: tuple[str, ...]
    deletes: tuple[str, ...]
    hand_edited: tuple[str, ...]
    current: Mapping[str, bytes | None] = field(repr=False)  # what was read of the tree
    digests: Mapping[str, str] = field(repr=False, default_factory=dict)  # of `desired`
    keys: Mapping[str, str] = field(repr=False, default_factory=dict)  # Planned.key
    # lstat of the paths mcgen looked at; None also for files as `known` records them
    infos: Mapping[str, FileStat | None] = field(repr=False, default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.writes or self.deletes)

    def diff(self) -> str:
        """A unified diff from the tree on disk to the rendered one."""
        chunks: list[str] = []
        for path in sorted({*self.writes, *self.deletes}):
            old = self.current.get(path)
            new = self.desired.get(path)
            shown_old, shown_new = redact_pair(_text(old), _text(new))
            chunks.extend(difflib.unified_diff(
                _lines(shown_old), _lines(shown_new),
                fromfile=f"a/{path}" if old is not None else "/dev/null",
                tofile=f"b/{path}" if new is not None else "/dev/null",
            ))
        return "".join(chunks)


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")


def _lines(text: str | None) -> list[str]:
    # Secret values are masked by the caller (`redact_pair`): a diff never prints them.
    return [] if text is None else text.splitlines(keepends=True)


class FileStat(NamedTuple):
    """What lstat says of a file, as much as mcgen looks at (and cheap to pickle)."""

    mode: int
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, info: os.stat_result) -> FileStat:
        return cls(info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)

    @property
    def text(self) -> str:
        """Size, modification and change times, and inode, as the index writes them."""
        return f"{self.size}\t{self.mtime_ns}\t{self.ctime_ns}\t{self.inode}"


class KnownFile(NamedTuple):
    """A file as mcgen last left it (`mcgen.output.fastcheck` keeps these)."""

    stat: str  # FileStat.text, compared as written: the index is read without parsing it
    digest: str
    key: str  # the Planned.key its text came from ("" when unknown)

    def matches(self, info: FileStat | None) -> bool:
        return info is not None and stat.S_ISREG(info.mode) and info.text == self.stat


class Planned(Protocol):
    """A file to write whose text is made on demand, with a digest of what it is made of."""

    @property
    def key(self) -> str: ...

    @property
    def text(self) -> str: ...


class Kept(NamedTuple):
    """A file that stays as it is on disk, which its caller has found exactly as mcgen
    left it from `key` (`mcgen.output.caches`): the plan neither makes nor reads it."""

    key: str


Wanted = str | Planned | Kept  # what the plan is given for each path


class _Desired(Mapping[str, bytes]):
    """The desired bytes of every path, each made (emitted, encoded) only when asked for."""

    def __init__(self, root: str, files: Mapping[str, Wanted], extra: dict[str, bytes]
                 ) -> None:
        self._root = root
        self._files = files
        self._made = extra

    def __getitem__(self, path: str) -> bytes:
        made = self._made.get(path)
        if made is None:
            found = self._files[path]
            if isinstance(found, Kept):
                made = _read(self._root, path) or b""  # it is as mcgen left it
            else:
                made = (found if isinstance(found, str) else found.text).encode()
            self._made[path] = made
        return made

    def get(self, path: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        return self[path] if path in self._made or path in self._files else default

    def __iter__(self) -> Iterator[str]:
        yield from self._files
        yield from (path for path in self._made if path not in self._files)

    def __len__(self) -> int:
        return len(self._files) + sum(1 for path in self._made if path not in self._files)


def plan_tree(root: str, fleet: str, spec_path: str, output_dir: str,
              files: Mapping[str, Wanted],
              known: Mapping[str, KnownFile] | None = None,
              recorded: Record | None = None) -> TreePlan:
    """Plan a render of `files` (repo-relative path -> text) into the repo at `root`.

    `known` spares work on files still as mcgen left them (same size, times, inode): their
    digest is the one recorded, and one whose key is unchanged is not even emitted.
    `recorded` is what the ownership record held when mcgen wrote it: if the record is
    still as mcgen left it, it is not read again.
    """
    known = known or {}
    record = record_path(output_dir, fleet)
    owned = _owned(root, record, known.get(record), recorded)
    paths = sorted({*files, record, *owned})
    infos, keys, wanted, digests, made = _make_all(root, files, known)
    # Only paths mcgen will read or write are judged: a file whose stat is the one mcgen
    # left is neither, even if a folder above it were since swapped for a symlink.
    for path in paths:
        if path not in infos and path not in digests:
            infos[path] = _lstat(root, path)
    real_root = os.path.realpath(root)
    folders: dict[str, str] = {}
    problems = [p for path in paths if path not in digests
                for p in unsafe(root, real_root, path, infos[path], folders)]
    if problems:
        raise InputError(problems)
    desired = _Desired(root, files, made)
    made[record] = record_text(fleet, spec_path, wanted).encode("utf-8")
    wanted[record] = digest(made[record])
    current: dict[str, bytes | None] = {}
    for path in paths:
        if path not in digests:
            digests[path] = _digest_on_disk(root, path, infos[path], known.get(path), current)
    return _compare(TreePlan(
        root=root, record=record, desired=desired, writes=(), deletes=(), hand_edited=(),
        current=current, digests=wanted, keys=keys, infos=infos), owned, digests)


class Record(NamedTuple):
    """The ownership record as mcgen last wrote it: its digest and what it says."""

    digest: str
    owned: Mapping[str, str]


def _owned(root: str, record: str, entry: KnownFile | None, recorded: Record | None
           ) -> dict[str, str]:
    """What the ownership record says; parsed only if it is not the one mcgen wrote."""
    if recorded is not None:
        if entry is not None and entry.matches(_lstat(root, record)):
            return dict(recorded.owned)
        data = _read(root, record)
        if data is not None and digest(data) == recorded.digest:
            return dict(recorded.owned)  # rewritten in the last tick of a render: read back
    return read_record(root, record)


Made = tuple[FileStat | None, str, bytes, str] | None


def _make_all(root: str, files: Mapping[str, Wanted], known: Mapping[str, KnownFile]
              ) -> tuple[dict[str, FileStat | None], dict[str, str], dict[str, str],
                         dict[str, str | None], dict[str, bytes]]:
    """Over all cores: each file's stat, key, digest, and bytes (only for those not as
    mcgen left them); and the digest on disk of those that are."""

    def make(part: Sequence[str]) -> list[Made]:
        return [_make(root, path, files[path], known.get(path)) for path in part]

    order = list(files)
    infos: dict[str, FileStat | None] = {}
    keys: dict[str, str] = {}
    wanted: dict[str, str] = {}
    digests: dict[str, str | None] = {}
    made: dict[str, bytes] = {}
    for path, result in zip(order, map_slices(make, order), strict=True):
        if result is None:  # as mcgen left it: neither read nor emitted
            entry = known[path]
            infos[path] = None  # the index's entry stands for it
            keys[path] = entry.key
            wanted[path] = digests[path] = entry.digest
        else:
            infos[path], keys[path], made[path], wanted[path] = result
    return infos, keys, wanted, digests, made


def _make(root: str, path: str, planned: Wanted, entry: KnownFile | None) -> Made:
    """None when the file on disk is as mcgen left it from the same key; else its stat,
    key, bytes and digest. (Workers send back as little as they can.)"""
    if isinstance(planned, Kept) and entry is not None:
        return None
    info = _lstat(root, path)
    if isinstance(planned, Kept):  # unknown to `known`: read it as it is
        data = _read(root, path) or b""
        return info, planned.key, data, digest(data)
    key = "" if isinstance(planned, str) else planned.key
    if key and entry is not None and entry.key == key and entry.matches(info):
        return None
    data = (planned if isinstance(planned, str) else planned.text).encode()
    return info, key, data, digest(data)


def _compare(plan: TreePlan, owned: Mapping[str, str], digests: Mapping[str, str | None]
             ) -> TreePlan:
    """The plan's writes, deletes and hand edits, from the digests of the tree on disk."""
    wanted = plan.digests
    conflicts = [
        Problem(Location(path), "exists but was not generated by mcgen; move it away or delete "
                                "it, mcgen never overwrites files it did not write")
        for path in wanted
        if path not in owned and path != plan.record and digests[path] is not None
        and digests[path] != wanted[path]
    ]
    if conflicts:
        raise InputError(conflicts)
    hand_edited = tuple(sorted(
        path for path, recorded in owned.items()
        if digests.get(path) is not None and digests[path] != recorded
    ))
    writes = tuple(sorted(p for p in wanted if digests[p] != wanted[p]))
    deletes = tuple(sorted(p for p in owned if p not in wanted and digests[p] is not None))
    current = dict(plan.current)
    for path in (*writes, *deletes):
        if path not in current and digests[path] is not None:
            current[path] = _read(plan.root, path)
    return replace(plan, writes=writes, deletes=deletes, hand_edited=hand_edited,
                   current=current)


def _lstat(root: str, path: str) -> FileStat | None:
    try:
        return FileStat.of(os.lstat(os.path.join(root, path)))
    except (FileNotFoundError, NotADirectoryError):
        return None


def _digest_on_disk(root: str, path: str, info: FileStat | None,
                    entry: KnownFile | None, current: dict[str, bytes | None]) -> str | None:
    """The digest of the file at `path` (None: no file), read unless mcgen left it so."""
    if info is None or stat.S_ISDIR(info.mode):
        return None
    if entry is not None and entry.matches(info):
        return entry.digest
    data = current[path] = _read(root, path)
    return None if data is None else digest(data)


def _read(root: str, path: str) -> bytes | None:
    """The file's bytes; a symlink or special file stands for itself, never for its target.

    Following a link planted in the output folder would print the target (say
    /proc/self/environ) in `render --check`'s diff; its target's name is harmless.
    """
    full = os.path.join(root, path)
    try:
        info = os.lstat(full)
        if stat.S_ISLNK(info.st_mode):
            return f"<a symlink to {os.readlink(full)}>\n".encode()
        if stat.S_ISDIR(info.st_mode):
            return None  # not a file: `unsafe` refuses writing over it, never deleted
        if not stat.S_ISREG(info.st_mode):
            return b"<not a regular file>\n"
        descriptor = os.open(full, os.O_RDONLY | os.O_NOFOLLOW)
    except (FileNotFoundError, NotADirectoryError):
        return None
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()
