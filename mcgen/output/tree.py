"""Compare the desired tree with the one on disk: what to write, remove, or report."""

from __future__ import annotations

import difflib
import os
import posixpath
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from mcgen.errors import InputError
from mcgen.location import Location, Problem
from mcgen.output.files import FileStat, KnownFile, Planned, Wanted, verbatim
from mcgen.output.owners import MAX_OWNED_BYTES, owned_desired, owned_extra, with_sidecars
from mcgen.output.ownership import digest, legacy_listed, legacy_record, stamped, walk
from mcgen.output.pathsafety import unsafe
from mcgen.parallel import map_slices

__all__ = ["FileStat", "KnownFile", "Planned", "Scope", "TreePlan", "Wanted",
           "plan_tree"]


@dataclass(frozen=True)
class TreePlan:
    """What a render changes: the files to write and remove, and the hand edits found."""

    root: str
    fleet: str  # whose tree: its name is in every file's stamp
    desired: Mapping[str, bytes] = field(repr=False)
    writes: tuple[str, ...]
    deletes: tuple[str, ...]
    hand_edited: tuple[str, ...]
    current: Mapping[str, bytes | None] = field(repr=False)  # of the files it changes
    digests: Mapping[str, str] = field(repr=False, default_factory=dict)  # of `desired`
    keys: Mapping[str, str] = field(repr=False, default_factory=dict)  # Planned.key
    # lstat of the paths mcgen looked at; None also for files as `known` records them
    infos: Mapping[str, FileStat | None] = field(repr=False, default_factory=dict)
    # the folders listed, by their stat before listing (`mcgen.output.noop.folder_text`)
    folders: Mapping[str, str] = field(repr=False, default_factory=dict)
    read: int = 0  # files read to judge them (those the index trusts are not)

    @property
    def clean(self) -> bool:
        return not (self.writes or self.deletes)

    def diff(self) -> str:
        """A unified diff from the tree on disk to the rendered one."""
        from mcgen.secrets.redact import redact_pair  # its YAML readers load for a diff only

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


def _bytes(fleet: str, planned: str | Planned) -> bytes:
    """What mcgen writes for `planned`: its text, stamped unless it is verbatim."""
    data = (planned if isinstance(planned, str) else planned.text).encode()
    return data if verbatim(planned) else stamped(fleet, data)


class _Desired(Mapping[str, bytes]):
    """The desired bytes of every path, each made (emitted, encoded) only when asked for."""

    def __init__(self, root: str, fleet: str, files: Mapping[str, Wanted],
                 made: dict[str, bytes]) -> None:
        self._root = root
        self._fleet = fleet
        self._files = files
        self._made = made

    def __getitem__(self, path: str) -> bytes:
        made = self._made.get(path)
        if made is None:
            made = _bytes(self._fleet, self._files[path])
            self._made[path] = made
        return made

    def get(self, path: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        return self[path] if path in self._files else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


class Scope(NamedTuple):
    """Where a shard's plan looks (`render --shard`): the folders it lists (None: all the
    fleet writes), and folders below them it leaves to other shards."""

    folders: tuple[str, ...] | None = None
    skip: frozenset[str] = frozenset()


EVERYWHERE = Scope()  # a whole render's plan


def plan_tree(root: str, fleet: str, spec_path: str, output_dir: str,
              files: Mapping[str, Wanted],
              known: Mapping[str, KnownFile] | None = None,
              scope: Scope = EVERYWHERE) -> TreePlan:
    """Plan a render of `files` (repo-relative path -> text) into the repo at `root`.

    Which files on disk are the fleet's comes from the files themselves (their stamps,
    `mcgen.output.ownership`), read from the folders the fleet writes. `known` spares
    work on files still as mcgen left them (same size, times, inode): their digest is
    the one recorded, and one whose key is unchanged is not even emitted.
    """
    known = known or {}
    files = with_sidecars(fleet, files)
    folders: dict[str, str] = {}
    tops = _scope(output_dir, files, known) if scope.folders is None else list(scope.folders)
    on_disk = [p for top in tops for p in walk(root, top, folders, scope.skip)]
    extra = sorted(set(on_disk).difference(files))
    infos, keys, wanted, digests, made = _make_all(root, fleet, files, known)
    for path in extra:
        infos[path] = _lstat(root, path)
    paths = [*files, *extra]
    # Only paths mcgen will read or write are judged: a file whose stat is the one mcgen
    # left is neither, even if a folder above it were since swapped for a symlink.
    real_root = os.path.realpath(root)
    judged: dict[str, str] = {}
    problems = [p for path in paths if path not in digests
                for p in unsafe(root, real_root, path, infos[path], judged)]
    if problems:
        raise InputError(problems)
    current: dict[str, bytes | None] = {}
    for path in files:
        if path not in digests:
            digests[path] = _digest_on_disk(root, path, infos[path], known.get(path), current)
    record = legacy_record(fleet, output_dir)
    read = _reader(root, infos, current)
    listed = legacy_listed(read(record), posixpath.dirname(record)) if record in extra else {}
    owned = owned_extra(fleet, spec_path, record, extra, infos, known, read, listed)
    owned.update(owned_desired(fleet, spec_path, files, digests, known, current, listed))
    for path in extra:
        digests[path] = _digest_on_disk(root, path, infos[path], known.get(path), current)
    return _compare(TreePlan(
        root=root, fleet=fleet, desired=_Desired(root, fleet, files, made), writes=(), deletes=(),
        hand_edited=(), current=current, digests=wanted, keys=keys, infos=infos,
        folders=folders),
        owned, digests)


def _scope(output_dir: str, files: Iterable[str], known: Iterable[str]) -> list[str]:
    """The folders the fleet writes: its output folder, and the top two levels of any
    path outside it (`argocd/<fleet>`), from what it writes now and wrote last time."""
    top = posixpath.normpath(output_dir)
    found = {top}
    for path in (*files, *known):
        if not path.startswith(top + "/"):
            found.add("/".join(path.split("/")[:2]))
    return sorted(found)


Made = tuple[FileStat | None, str, bytes, str] | None


def _make_all(root: str, fleet: str, files: Mapping[str, Wanted],
              known: Mapping[str, KnownFile]
              ) -> tuple[dict[str, FileStat | None], dict[str, str], dict[str, str],
                         dict[str, str | None], dict[str, bytes]]:
    """Over all cores: each file's stat, key, digest, and bytes (only for those not as
    mcgen left them); and the digest on disk of those that are."""

    def make(part: Sequence[str]) -> list[Made]:
        return [_make(root, fleet, path, files[path], known.get(path)) for path in part]

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


def _make(root: str, fleet: str, path: str, planned: Wanted, entry: KnownFile | None
          ) -> Made:
    """None when the file on disk is as mcgen left it from the same key; else its stat,
    key, bytes and digest. (Workers send back as little as they can.)"""
    info = _lstat(root, path)
    key = "" if isinstance(planned, str) else planned.key
    if key and entry is not None and entry.key == key and entry.matches(info):
        return None
    data = _bytes(fleet, planned)
    return info, key, data, digest(data)


def _compare(plan: TreePlan, owned: Mapping[str, str], digests: Mapping[str, str | None]
             ) -> TreePlan:
    """The plan's writes, deletes and hand edits, from the digests of the tree on disk."""
    wanted = plan.digests
    conflicts = [
        Problem(Location(path), "exists but was not generated by mcgen; move it away or delete "
                                "it, mcgen never overwrites files it did not write")
        for path in wanted
        if path not in owned and digests[path] is not None and digests[path] != wanted[path]
    ]
    if conflicts:
        raise InputError(conflicts)
    hand_edited = tuple(sorted(
        path for path, recorded in owned.items()
        if digests.get(path) is not None and digests[path] != recorded
    ))
    writes = tuple(sorted(p for p in wanted if digests[p] != wanted[p]))
    deletes = tuple(sorted(p for p in owned if p not in wanted and digests[p] is not None))
    # What a diff or a finding shows of the tree: the files it changes (a plan over a
    # tree with no index reads every file; it keeps none of the others).
    current: dict[str, bytes | None] = {}
    for path in (*writes, *deletes):
        known = plan.current.get(path)
        current[path] = known if known is not None or digests[path] is None else _read(
            plan.root, path)
    return replace(plan, writes=writes, deletes=deletes, hand_edited=hand_edited,
                   current=current, read=len(plan.current))


def _reader(root: str, infos: Mapping[str, FileStat | None], current: dict[str, bytes | None]
            ) -> Callable[[str], bytes | None]:
    """Reads a file once into `current` (what the diff shows of the tree); one too large
    for mcgen to have written stands for itself, unread."""

    def read(path: str) -> bytes | None:
        if path not in current:
            info = infos.get(path)
            large = info is not None and info.size > MAX_OWNED_BYTES
            current[path] = b"<too large to be mcgen's>\n" if large else _read(root, path)
        return current[path]

    return read


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
