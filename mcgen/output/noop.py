"""The no-op check: is a fleet's tree exactly as the last render (or clean check) left
it, from the same inputs? Answered at start-up without loading the fleet, click, Jinja2
or the YAML readers (`mcgen.fastpath`), so that the pre-commit hook is instant.

After a render that ends clean, mcgen writes a record (`noop-*.json` in its state folder,
never in the work tree) of:

- the inputs' fingerprint: mcgen's code, the spec, and every file the render read;
- every folder the render listed (its output folder, and `argocd/<fleet>/`), with its
  modification and change times and inode: a file created, removed or renamed in a
  folder changes its times, so a file added by hand (or by a merge) is seen;
- per folder, one digest of the stat (type, size, times, inode) of each file in it
  (the fleet's own, and any other file the render saw there): a write changes a file's
  change time, which nobody can set back, so any edit is seen. A folder is one line of
  tab-separated fields, split rather than parsed: the check is bound by its stats.

A file or folder whose time lies within a timestamp tick of the record ("racily clean",
as git calls it) cannot be trusted by its stat: a write in the same tick would not have
changed it. Such a file is read and its digest compared; such a folder is listed.
Anything the record does not match, and any doubt (no record, another version, a
journal of an interrupted render), means "look": the full check runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from array import array
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import NamedTuple

from mcgen.output.inputprint import input_fingerprint, inside_repository, state_file
from mcgen.output.statedir import JOURNAL, state_dir
from mcgen.parallel import Background

RECORD_VERSION = 3  # a JSON header line, then a tab-separated line per folder (`_row`)
FINE_TICK_NS = 100_000_000
COARSE_TICK_NS = 2_000_000_000
ABSENT = "-"  # a folder the render would list that does not exist
FOLDERS_PER_WORKER = 4_000  # below this a fork costs more than it saves


class Seen(NamedTuple):
    """A file as the record keeps it."""

    path: str
    stat: str  # size, modification and change times, inode (`FileStat.text`)
    kind: int  # its type, st_mode >> 12 (8: a regular file)
    digest: str  # "sha256:..." of its bytes; "" for a file the fleet does not own


def folder_text(info: os.stat_result) -> str:
    """What the record keeps of a folder: its modification and change times, inode."""
    return f"{info.st_mtime_ns}\t{info.st_ctime_ns}\t{info.st_ino}"


def _stat_digest(stats: Iterable[Sequence[int]]) -> str:
    """One digest of the files of a folder, each as (type, size, modification and change
    times, inode), in the order of the record's names."""
    numbers = array("q")
    for numbers_of_one in stats:
        numbers.extend(numbers_of_one)
    return hashlib.blake2b(numbers.tobytes(), digest_size=16).hexdigest()


def _disk_digest(full: str, names: Sequence[str]) -> str:
    """`_stat_digest` of the files `names` in the folder `full` as they are now."""
    numbers = array("q")
    add = numbers.extend
    for info in map(os.lstat, [f"{full}/{name}" for name in names]):
        add((info.st_mode >> 12, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
             info.st_ino))
    return hashlib.blake2b(numbers.tobytes(), digest_size=16).hexdigest()


Numbers = tuple[int, int, int, int, int]  # type, size, modification and change times, inode


def _as_recorded(seen: Seen) -> Numbers:
    size, mtime, ctime, inode = (int(part) for part in seen.stat.split("\t"))
    return seen.kind, size, mtime, ctime, inode


def _record_file(root: str, spec_path: str) -> str:
    return state_file(root, spec_path, "noop-*.json")


def forget(root: str, spec_path: str) -> None:
    """Drop the record: the next check looks."""
    with contextlib.suppress(OSError):
        os.unlink(_record_file(root, spec_path))


def forget_all(folder: str) -> None:
    """Drop every fleet's record in the state folder `folder`: a render is about to
    change the tree, and none may describe it any longer (a run that judged the tree
    against a record before taking the lock sees it gone, `head`)."""
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.startswith("noop-") and name.endswith(".json"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))


def head(root: str, spec_path: str) -> str | None:
    """The record's first line, unlike any other record's: the same one is there as long
    as no render changed the tree (`forget_all`)."""
    try:
        with open(_record_file(root, spec_path), encoding="utf-8") as handle:
            return handle.readline()
    except (OSError, UnicodeDecodeError):
        return None


def _times(text: str) -> tuple[int, int]:
    """The modification and change times of a `Seen.stat` text."""
    _, mtime, ctime, _ = text.split("\t")
    return int(mtime), int(ctime)


def _tick(files: Sequence[Seen]) -> int:
    """The file system's timestamp granularity, roughly: whole seconds (FAT, HFS+) show
    as times without nanoseconds; ext4, XFS, btrfs and APFS tick within milliseconds."""
    coarse = files and all(_times(f.stat)[0] % 1_000_000_000 == 0 for f in files[:100])
    return COARSE_TICK_NS if coarse else FINE_TICK_NS


def settled(root: str, walked: Mapping[str, str], touched: Iterable[str]) -> dict[str, str]:
    """The folders `walked` (folder -> `folder_text`, or ABSENT) as they are after a
    render wrote or removed the `touched` paths: each folder above one is stat again."""
    folders = dict(walked)
    again: set[str] = set()
    for path in touched:
        folder = path.rpartition("/")[0]
        while folder and folder not in again:
            again.add(folder)
            folder = folder.rpartition("/")[0]
    for folder in again:
        if folder in walked or _below(folder, walked):
            try:
                info = os.lstat(os.path.join(root, folder))
            except FileNotFoundError:
                folders[folder] = ABSENT
                continue
            folders[folder] = folder_text(info) if stat.S_ISDIR(info.st_mode) else ABSENT
    return folders


def _below(folder: str, walked: Mapping[str, str]) -> bool:
    while "/" in folder:
        folder = folder.rpartition("/")[0]
        if folder in walked:
            return True
    return False


def record(root: str, spec_path: str, inputs: tuple[str, Sequence[str]],
           files: Sequence[Seen], folders: Mapping[str, str],
           kept: Sequence[Recorded] = ()) -> None:
    """Write the record of a tree as a render (or a clean check) leaves it: `inputs` is
    the fingerprint and the names it covers, `files` every file in the `folders` listed
    (with their stat, `settled`), `kept` the rows of folders the render did not list,
    judged clean just now (`mcgen.output.subtrees`), copied as they are. Anything odd writes
    no record: the next check looks."""
    forget(root, spec_path)
    recorded = time.time_ns()
    cutoff = recorded - _tick(files)
    lines: dict[str, list[Seen]] = {folder: [] for folder in folders}
    racy: list[list[str]] = []
    for seen in files:
        folder = seen.path.rpartition("/")[0]
        numbers = _as_recorded(seen)
        if folder not in lines or "\t" in seen.path or "\n" in seen.path:
            return
        if numbers[2] >= cutoff or numbers[3] >= cutoff:
            if not seen.digest:
                return  # not the fleet's, and changed just now: nothing to compare it with
            racy.append([seen.path, seen.digest])
            continue
        lines[folder].append(seen)  # the seen file itself: a million of them, held once
    if (not files and not kept) or any(_unsafe(folder) for folder in folders):
        return
    recent = {folder for folder, text in folders.items() if _recent(text, cutoff)}
    inside = _entries(files, recent, folders, [row.path for row in kept])
    made = [(folder, _row(folder, folders[folder], sorted(lines[folder], key=_path),
                          inside.get(folder)))
            for folder in folders]
    made.extend((row.path, row.line) for row in kept)
    head = {"version": RECORD_VERSION, "inputs": inputs[0], "read": list(inputs[1]),
            "racy": racy, "made": os.urandom(8).hex()}  # no two records share a head
    text = [json.dumps(head, separators=(",", ":")), *(line for _, line in sorted(made))]
    _write(_record_file(root, spec_path), "\n".join(text) + "\n")


def _path(seen: Seen) -> str:
    return seen.path


def _recent(text: str, cutoff: int) -> bool:
    """Whether a folder's times (`folder_text`) are too recent to trust: a file added in
    the same tick would not have changed them."""
    return text != ABSENT and max(int(t) for t in text.split("\t")[:2]) >= cutoff


def _entries(files: Sequence[Seen], recent: Iterable[str], folders: Mapping[str, str],
             kept: Sequence[str] = ()) -> dict[str, list[str]]:
    """What each of the `recent` folders holds as the render leaves it: its files and
    its folders (of `folders`, those there, and the `kept` ones, which are)."""
    inside: dict[str, set[str]] = {folder: set() for folder in recent}
    for path in [*(f.path for f in files), *(f for f, t in folders.items() if t != ABSENT),
                 *kept]:
        parent, _, name = path.rpartition("/")
        if parent in inside:
            inside[parent].add(name)
    return {folder: sorted(names) for folder, names in inside.items()}


def _row(folder: str, text: str, files: list[Seen], inside: list[str] | None) -> str:
    """A folder's line: its path, its stat (`folder_text`, or ABSENT), the digest of its
    files' stats, their names, and what it holds (`inside`) when its own times are too
    recent to trust (`_recent`), tab-separated; a list of names is joined by "/" (no
    file name holds one), a listing led by one."""
    listing = "/" + "/".join(inside) if inside is not None else ""
    digest = _stat_digest(_as_recorded(seen) for seen in files)
    names = "/".join(seen.path.rpartition("/")[2] for seen in files)
    return "\t".join((folder, text, digest, names, listing))


def _unsafe(path: str) -> bool:
    """Whether `path` cannot be a field of a line (`_row`)."""
    return "\t" in path or "\n" in path or "\r" in path


def _write(path: str, text: str) -> None:
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError:  # a full disk: no record is only slower
        with contextlib.suppress(OSError):
            os.unlink(temporary)


class Folder(NamedTuple):
    """A folder as the record keeps it (see `_row`)."""

    path: str
    stat: str
    digest: str
    names: list[str]
    listing: list[str] | None


class Record(NamedTuple):
    head: str  # its first line, as it is read (`head`)
    inputs: str
    read: list[str]
    folders: list[str]  # a JSON line per folder, each read by `_folder` where it is judged
    racy: list[tuple[str, str]]


class Judged(NamedTuple):
    """A record and the folders of it found no longer as it has them, judged in second
    processes (`mcgen.output.subtrees.TreeJudge.verdict`)."""

    record: Record
    unsettled: frozenset[str]


class Recorded(NamedTuple):
    """A folder's path, and its line as the record has it (copied unread)."""

    path: str
    line: str


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def read_folder(line: str) -> Folder | None:
    """A folder's line (`_row`), or None for one that is not."""
    fields = line.split("\t")
    if len(fields) == 7:  # a folder's stat is three fields
        path, mtime, ctime, inode, digest, names, listing = fields
        text = f"{mtime}\t{ctime}\t{inode}"
    elif len(fields) == 5 and fields[1] == ABSENT:
        path, text, digest, names, listing = fields
    else:
        return None
    if listing and not listing.startswith("/"):
        return None
    return Folder(path, text, digest, names.split("/") if names else [],
                  (listing[1:].split("/") if len(listing) > 1 else []) if listing else None)


def path_of(line: str) -> str:
    """The folder a record line is of, read without reading the rest."""
    return line.partition("\t")[0]


def load_record(root: str, spec_path: str) -> Record | None:
    """The record, or None when there is none usable (a planted one is only data)."""
    try:
        with open(_record_file(root, spec_path), encoding="utf-8") as handle:
            head_line, _, body_text = handle.read().partition("\n")
        body = json.loads(head_line)
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("version") != RECORD_VERSION:
        return None
    inputs, read, racy = (body.get(k) for k in ("inputs", "read", "racy"))
    rows = body_text.split("\n")[:-1]  # each line ends in one; no path holds one
    if not (isinstance(inputs, str) and _strings(read) and rows
            and isinstance(racy, list) and all(_strings(p) and len(p) == 2 for p in racy)):
        return None
    names = [str(name) for name in read or ()]
    return Record(head_line + "\n", inputs, names, rows, [(str(a), str(b)) for a, b in racy])


def clean(root: str, spec_path: str, judged: Judged | None = None) -> bool:
    """True when a check of the fleet at `spec_path` is known to find nothing: its
    inputs and every file and folder of its tree are as the record has them. The
    folders are judged over two cores (`mcgen.parallel.Background`), unless `judged`
    found them all as its record (still the current one) has them."""
    if os.path.exists(os.path.join(state_dir(root), JOURNAL)):
        return False  # an interrupted render: the full path recovers it first
    found = judged.record if judged is not None else load_record(root, spec_path)
    try:
        if found is None or found.inputs != input_fingerprint(spec_path, root, found.read):
            return False
    except OSError:  # an unreadable input: the full path says what to do about it
        return False
    judged_clean = judged is not None and not judged.unsettled
    return ((judged_clean or _folders_clean(root, found.folders))
            and all(_racy_clean(root, path, wanted) for path, wanted in found.racy))


def _folders_clean(root: str, rows: Sequence[str]) -> bool:
    """Every folder of the record's `rows` as it has them, judged over two cores."""
    cut = len(rows) // 2 if len(rows) >= FOLDERS_PER_WORKER else len(rows)
    other = Background(partial(_all_clean, root, rows[cut:])) if cut < len(rows) else None
    if not _all_clean(root, rows[:cut]):
        if other is not None:
            other.stop()
        return False
    theirs = other.result() if other is not None else True
    if theirs is None:  # no second process (one core, or MCGEN_JOBS=1): judged here
        theirs = _all_clean(root, rows[cut:])
    return theirs


def _all_clean(root: str, rows: Sequence[str]) -> bool:
    for row in rows:
        folder = read_folder(row)
        if folder is None or not folder_clean(root, folder):
            return False
    return True


def unsettled(root: str, lines: Sequence[str]) -> frozenset[str]:
    """The folders of the record's `lines` that a render may not keep as the record has
    them: changed since, unreadable, or too recent to trust by their times."""
    found = set()
    for line in lines:
        folder = read_folder(line)
        if folder is None or folder.listing is not None or not folder_clean(root, folder):
            found.add(path_of(line))
    return frozenset(found)


def folder_clean(root: str, folder: Folder) -> bool:
    full = os.path.join(root, folder.path)
    try:
        info = os.lstat(full)
    except FileNotFoundError:
        return folder.stat == ABSENT
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or folder_text(info) != folder.stat:
        return False
    try:
        if folder.listing is not None and sorted(os.listdir(full)) != folder.listing:
            return False
        found = _disk_digest(full, folder.names)
    except OSError:
        return False
    return found == folder.digest


def _racy_clean(root: str, path: str, wanted: str) -> bool:
    """A file recorded too soon after it was written to trust its stat: read it."""
    if not inside_repository(path):
        return False
    full = os.path.join(root, path)
    try:
        if not stat.S_ISREG(os.lstat(full).st_mode):
            return False
        descriptor = os.open(full, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return "sha256:" + hashlib.sha256(data).hexdigest() == wanted
