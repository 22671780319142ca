"""Apply a TreePlan all or nothing, with a write-ahead journal and a lock.

New contents go to a staging folder first; writing the journal (one atomic rename) is
the commit point. A render killed before it leaves the old tree; one killed after it is
rolled forward by the next mcgen command, before it reads the tree. Two renders of one
repository at once: the second waits for the first, then fails clearly if it must.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import posixpath
import shutil
import time
from collections.abc import Iterator, Sequence
from typing import TypedDict

from mcgen import settings
from mcgen.errors import OutputError
from mcgen.output.files import FileStat
from mcgen.output.noop import forget_all
from mcgen.output.statedir import JOURNAL as JOURNAL  # their old home
from mcgen.output.statedir import state_dir as state_dir
from mcgen.output.tree import TreePlan
from mcgen.parallel import map_slices

# The state folders whose lock this process holds: a nested `locked` (a lint's parts in
# forked workers, under the lock their run took) does not lock again.
_HELD: set[str] = set()


@contextlib.contextmanager
def locked(root: str, wait: float | None = None, create: bool = True) -> Iterator[str]:
    """Hold the repository's render lock; yields the state folder.

    With `create` false (read-only commands) a repository that never rendered gets no
    state folder: there is nothing to recover and nothing to lock against.
    """
    wait = settings.lock_wait() if wait is None else wait
    folder = state_dir(root)
    if folder in _HELD or (not create and not os.path.isdir(folder)):
        yield folder  # held already by this run (or the run that forked this worker)
        return
    try:
        os.makedirs(folder, exist_ok=True)
        _hide_from_git(folder)
        handle = open(os.path.join(folder, "lock"), "a+")  # noqa: SIM115 - held until exit
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create or open mcgen's state folder and its lock "
                          f"file: {exc.strerror}") from exc
    with handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(
                        f"another mcgen is rendering this repository (lock {handle.name}); "
                        "try again when it has finished") from None
                time.sleep(0.05)
        try:
            recover(root, folder)
            _HELD.add(folder)
            yield folder
        finally:
            _HELD.discard(folder)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _hide_from_git(folder: str) -> None:
    """A state folder in the work tree ignores itself, so `git status` stays clean."""
    marker = os.path.join(folder, ".gitignore")
    if os.path.basename(folder) == ".mcgen" and not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write("# mcgen's lock, journal and staging: never commit them\n*\n")


def recover(root: str, folder: str) -> None:
    """Finish a committed render that was interrupted; drop an uncommitted one."""
    journal = os.path.join(folder, JOURNAL)
    if os.path.exists(journal):
        try:
            _roll_forward(root, _read_journal(folder, journal))
        except OSError as exc:
            raise OutputError(f"cannot finish the interrupted render in {journal}: "
                              f"{_explain(exc)}; fix that and run mcgen again") from exc
        os.unlink(journal)
    for name in os.listdir(folder):
        if name.startswith("staging-"):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def _read_journal(folder: str, journal: str) -> Steps:
    """The journal's steps, refused unless they stay inside the state and work trees.

    Without a `.git` folder the state folder is `.mcgen/` in the work tree, where a
    committed journal would otherwise move and delete files anywhere.
    """
    try:
        with open(journal, encoding="utf-8") as handle:
            steps = json.load(handle)
        moves, deletes = steps["moves"], steps["deletes"]
        bad = [str(m) for m in moves if not (isinstance(m, list) and len(m) == 2
                                             and _staged(folder, m[0]) and _relative(m[1]))]
        bad += [str(d) for d in deletes if not _relative(d)]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutputError(f"{journal}: unreadable journal of an interrupted render ({exc}); "
                          "delete it and run `mcgen render` again") from exc
    if bad:
        raise OutputError(f"{journal}: not a journal mcgen wrote: it names {bad[0]}, outside "
                          "the repository; delete it and run `mcgen render` again")
    return {"moves": moves, "deletes": deletes}


def _staged(folder: str, path: object) -> bool:
    parent = os.path.dirname(os.path.dirname(str(path)))
    return isinstance(path, str) and os.path.realpath(parent) == os.path.realpath(folder)


def _relative(path: object) -> bool:
    return (isinstance(path, str) and posixpath.normpath(path) == path and "\x00" not in path
            and not path.startswith(("/", "../")) and path != "..")


def apply_plan(plan: TreePlan, folder: str) -> None:
    """Write the plan's files and remove its stale ones, atomically as a whole.

    Call it holding `locked(plan.root)`, which yields `folder`.
    """
    if plan.clean:
        return
    staging = Staging(folder)
    staging.add(plan)
    staging.commit(plan)


class Staging:
    """A render's new files, staged a part at a time (`mcgen.pipeline` renders a large
    fleet in parts, and lets each part go once it is staged), then committed at once:
    the tree changes all or nothing, whatever the number of parts.

    Call it holding `locked(root)`, which yields `folder`.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.path = os.path.join(folder, f"staging-{os.getpid()}")
        self.pid = os.getpid()  # the process that may drop it (its workers stage too)
        self.moves: list[list[str]] = []  # [staged file, repo-relative path]
        self.committed = False  # past the commit point: the journal needs what is staged
        # The files moved in, each's stat as it landed (`FileStat.text`; None: gone).
        self.landed: dict[str, str | None] = {}

    def add(self, plan: TreePlan, part: int = 0) -> list[list[str]]:
        """Stage the plan's writes, over all cores, as files named after `part` (the
        parts of a render are staged apart, perhaps in other processes); their moves."""
        moves = [[f"{self.path}/{part}.{number}", path]
                 for number, path in enumerate(plan.writes)]
        try:
            _stage(plan, moves)
        except OSError as exc:
            self.abandon()
            raise OutputError(_explain(exc) + "; the tree on disk is unchanged") from exc
        self.took(moves)
        return moves

    def took(self, moves: Sequence[list[str]]) -> None:
        """Count in the moves of a part another process staged (`add`)."""
        self.moves.extend(moves)

    def commit(self, plan: TreePlan) -> None:
        """Make the staged files and the removals of `plan` (all parts' put together)
        the tree: the journal is the commit point."""
        if plan.clean:
            self.abandon()
            return
        steps: Steps = {"moves": self.moves, "deletes": list(plan.deletes)}
        try:
            os.makedirs(self.path, exist_ok=True)
            _sync_filesystem(self.path)
            _check_writable(plan, self.path)
            forget_all(self.folder)  # no record may describe the tree once it changes
            # From here on what is staged stays, even if interrupted: once the journal is
            # in place, the next mcgen command moves it in (until then it drops it).
            self.committed = True
            _commit(self.folder, steps)
        except OSError as exc:
            self.committed = False  # the journal is not in place: `_commit` replaces last
            self.abandon()
            raise OutputError(_explain(exc) + "; the tree on disk is unchanged") from exc
        try:
            self.landed = _roll_forward(plan.root, steps)
        except OSError as exc:
            raise OutputError(_explain(exc) + "; the render is committed: the next mcgen "
                              "command finishes it once that is fixed") from exc
        os.unlink(os.path.join(self.folder, JOURNAL))
        shutil.rmtree(self.path, ignore_errors=True)
        self.moves = []  # a million of them on a large fleet: let them go

    def abandon(self) -> None:
        """Drop what was staged, unless it is committed (the tree is as it was); only
        the process that made the staging does (a worker's failure is done again)."""
        if not self.committed and os.getpid() == self.pid:
            shutil.rmtree(self.path, ignore_errors=True)


class Steps(TypedDict):
    moves: list[list[str]]  # [staged file, repo-relative destination]
    deletes: list[str]


def _stage(plan: TreePlan, moves: Sequence[list[str]]) -> None:
    """Stage every write as a file of one flat folder (`moves`: [staged file, path]),
    over all cores. (Staging
    the tree's own shape and moving each new folder in whole, with one rename, was 15%
    faster on tmpfs but three times slower on ext4: creating files spread over thousands
    of new folders costs the kernel far more than renaming them there.)"""
    if moves:
        os.makedirs(os.path.dirname(moves[0][0]), exist_ok=True)

    def write(part: Sequence[list[str]]) -> list[None]:
        for staged, path in part:
            _write_new(staged, plan.desired[path])
        return [None] * len(part)

    map_slices(write, moves)


def _make_folders(folder: str, made: set[str]) -> None:
    if folder not in made:
        os.makedirs(folder, exist_ok=True)  # another worker may make it at the same time
        made.add(folder)


def _write_new(path: str, data: bytes) -> None:
    """Write `path` (in mcgen's own staging folder) with bare system calls: a file object
    per file costs more than the write on a tree of 100,000 files. Truncating, not
    exclusive: a slice a failed worker began is written again by the main process."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def _sync_filesystem(folder: str) -> None:
    """Make every staged file durable before the commit point, in one system call.

    One fsync per file costs more than rendering does on a large fleet; syncfs(2)
    flushes the staging folder's file system once (os.sync where syncfs is missing).
    """
    import ctypes  # only a render that writes needs it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            if libc.syncfs(descriptor) == 0:
                return
        finally:
            os.close(descriptor)
    except (OSError, AttributeError):
        pass
    os.sync()


def _check_writable(plan: TreePlan, staging: str) -> None:
    """Fail before the commit point on a folder we could not write into or rename into.

    Each existing folder is checked once, not once per file: a folder still to be made
    is judged by the nearest one that exists.
    """
    device = os.stat(staging).st_dev
    folders = {os.path.dirname(os.path.join(plan.root, p)) for p in [*plan.writes, *plan.deletes]}
    existing: dict[str, str] = {}
    for folder in sorted(folders):
        existing[folder] = _nearest_folder(folder, existing)
    for folder in sorted(set(existing.values())):
        if not os.access(folder, os.W_OK):
            raise OSError(errno.EACCES, "read-only folder", folder)
        if os.stat(folder).st_dev != device:
            raise OSError(errno.EXDEV, "another file system", folder)


def _nearest_folder(folder: str, known: dict[str, str]) -> str:
    """`folder`, or its nearest ancestor that exists as a folder."""
    found = known.get(folder)
    if found is None:
        parent = os.path.dirname(folder)
        found = folder if os.path.isdir(folder) or parent == folder else _nearest_folder(
            parent, known)
        known[folder] = found
    return found


def _commit(folder: str, steps: Steps) -> None:
    temporary = os.path.join(folder, JOURNAL + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(steps, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, os.path.join(folder, JOURNAL))
    _fsync_dir(folder)


def _roll_forward(root: str, steps: Steps) -> dict[str, str | None]:
    """Apply the journal (its moves over all cores); idempotent, so recovery may run it
    again after a crash, and a failed worker's share may be done again. Each moved
    file's stat as it landed (a rename changes its ctime; `FileStat.text`), by
    repo-relative path."""

    def move(part: Sequence[list[str]]) -> list[str | None]:
        made: set[str] = set()
        return [_move(staged, os.path.join(root, path), made) for staged, path in part]

    moves = steps["moves"]
    landed = dict(zip((path for _, path in moves), map_slices(move, moves), strict=True))
    for path in steps["deletes"]:
        target = os.path.join(root, str(path))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        _remove_empty_parents(root, os.path.dirname(target))
    # The renames must be durable before the journal that would redo them goes away.
    _sync_filesystem(root)
    return landed


def _move(staged: str, target: str, made: set[str]) -> str | None:
    """Move one staged file in (unless a replay moved it already) and stat it there."""
    _make_folders(os.path.dirname(target), made)
    try:
        os.replace(staged, target)
    except FileNotFoundError:
        if os.path.lexists(staged):
            raise  # the target's folder went away under us
    try:
        return FileStat.of(os.lstat(target)).text
    except FileNotFoundError:
        return None


def _remove_empty_parents(root: str, folder: str) -> None:
    real_root = os.path.realpath(root)
    while os.path.realpath(folder).startswith(real_root + os.sep):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


def _fsync_dir(folder: str) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _explain(exc: OSError) -> str:
    where = exc.filename or ""
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device while writing the tree ({where})"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {where}: permission denied or read-only"
    if exc.errno == errno.EXDEV:
        return (f"{where} is on another file system than mcgen's state folder, so files "
                "cannot be moved into it atomically; keep the output folder on the "
                "repository's file system")
    if exc.errno == errno.EFBIG:
        return f"file too large for this system while writing {where}"
    return f"cannot write the tree: {exc.strerror} ({where})"
