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
from collections.abc import Iterable

import mcgen
from mcgen.confine import escapes
from mcgen.output.transaction import JOURNAL, state_dir

CACHE_VERSION = 1


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


def _cache_file(root: str, spec_path: str) -> str:
    key = hashlib.sha256(os.path.relpath(os.path.abspath(spec_path), root).encode()).hexdigest()
    return os.path.join(state_dir(root), f"tree-{key[:16]}.json")


def _stats(root: str, paths: Iterable[str]) -> dict[str, list[int]] | None:
    found = {}
    for path in paths:
        try:
            stat = os.stat(os.path.join(root, path))
        except OSError:
            return None
        found[path] = [stat.st_size, stat.st_mtime_ns]
    return found


def remember(root: str, spec_path: str, owned: Iterable[str]) -> None:
    """Record the inputs and the owned files' stats after a render or a clean check."""
    if not os.path.isdir(state_dir(root)):
        return  # a check in a repository never rendered: leave no trace
    stats = _stats(root, owned)
    if stats is None:
        return
    body = {"inputs": input_fingerprint(spec_path, root), "files": stats}
    temporary = _cache_file(root, spec_path) + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(body, handle)
    os.replace(temporary, _cache_file(root, spec_path))


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
