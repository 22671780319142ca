"""The no-op check in milliseconds: skip rendering when nothing it reads has changed.

After a render (or a clean `--check`), mcgen remembers a fingerprint of everything a
render reads (the fleet spec, every file under `templates/`, and mcgen's own code) and
the size and modification time of every file it owns. The next `render --check` whose
inputs have the same fingerprint and whose owned files all have the same size and
time cannot find drift, so it answers without rendering. Any difference, including a
hand edit (which changes the time), takes the full path. The memory lives in mcgen's
state folder (inside `.git/`), never in the work tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping

import mcgen
from mcgen.confine import escapes
from mcgen.output.transaction import JOURNAL, state_dir

CACHE_VERSION = 2
FINE_TICK_NS = 100_000_000
COARSE_TICK_NS = 2_000_000_000


def _walk(folder: str) -> Iterable[str]:
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            yield os.path.join(current, name)


def input_fingerprint(spec_path: str, root: str) -> str:
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    code = os.path.dirname(os.path.abspath(mcgen.__file__))
    for path in _walk(code):
        if path.endswith((".py", ".json")):
            stat = os.stat(path)
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for path in [spec_path, *_walk(os.path.join(root, "templates"))]:
        digest.update(os.path.relpath(path, root).encode() + b"\0")
        digest.update(hashlib.sha256(_content(path, root)).digest())
    return digest.hexdigest()


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


def state_file(root: str, spec_path: str, kind: str) -> str:
    """The file in mcgen's state folder holding `kind` ("tree", "render") for a fleet."""
    key = hashlib.sha256(os.path.relpath(os.path.abspath(spec_path), root).encode()).hexdigest()
    return os.path.join(state_dir(root), f"{kind}-{key[:16]}.json")


def _cache_file(root: str, spec_path: str) -> str:
    return state_file(root, spec_path, "tree")


def _stats(root: str, paths: Iterable[str]) -> dict[str, list[int]] | None:
    found = {}
    for path in paths:
        try:
            info = os.lstat(os.path.join(root, path))
        except OSError:
            return None
        found[path] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    return found


def remember(root: str, spec_path: str, owned: Mapping[str, str]) -> None:
    """Record the inputs and the owned files' stats and digests (path -> digest) after a
    render or a clean check."""
    if not os.path.isdir(state_dir(root)):
        return  # a check in a repository never rendered: leave no trace
    stats = _stats(root, owned)
    if stats is None:
        return
    body = {"inputs": input_fingerprint(spec_path, root), "files": stats,
            "digests": [owned[path] for path in stats], "recorded": time.time_ns(),
            "tick": _tick(stats)}
    temporary = _cache_file(root, spec_path) + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(body, handle)
    os.replace(temporary, _cache_file(root, spec_path))


def _tick(stats: Mapping[str, list[int]]) -> int:
    """The file system's timestamp granularity, roughly: whole seconds (FAT, HFS+) show
    as times without nanoseconds; ext4, XFS, btrfs and APFS tick within milliseconds."""
    times = [entry[1] for entry in stats.values()]
    return COARSE_TICK_NS if times and all(t % 1_000_000_000 == 0 for t in times) else FINE_TICK_NS


def known_files(root: str, spec_path: str) -> dict[str, tuple[int, int, int, int, str]]:
    """The owned files as the last render or clean check left them: stat and digest.

    A file whose time lies within a timestamp tick of when it was recorded is left out:
    a write in that same tick would not have changed its time (git's "racily clean").
    """
    try:
        with open(_cache_file(root, spec_path), encoding="utf-8") as handle:
            body = json.load(handle)
        files, digests = body["files"], body["digests"]
        cutoff = int(body["recorded"]) - int(body["tick"])
        return {path: (int(entry[0]), int(entry[1]), int(entry[2]), int(entry[3]), str(digest))
                for (path, entry), digest in zip(files.items(), digests, strict=True)
                if int(entry[1]) < cutoff}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {}


def unchanged(root: str, spec_path: str) -> bool:
    """True when a check of this fleet is known to be clean without rendering."""
    if os.path.exists(os.path.join(state_dir(root), JOURNAL)):
        return False  # an interrupted render: the full path recovers it first
    try:
        with open(_cache_file(root, spec_path), encoding="utf-8") as handle:
            body = json.load(handle)
        files = body["files"]
        if body["inputs"] != input_fingerprint(spec_path, root):
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return bool(files) and _stats(root, files) == files
