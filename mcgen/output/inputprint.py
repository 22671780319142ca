"""What a render read, as one digest (the inputs' fingerprint the no-op record and the
stat index both keep), and where a fleet's files in mcgen's state folder are named.

Imported at start-up by the no-op check (`mcgen.output.noop`): it imports nothing of
the fleet, click, Jinja2 or the YAML readers.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable

from mcgen.codeprint import code_fingerprint
from mcgen.confine import escapes
from mcgen.output.statedir import state_dir

CACHE_VERSION = 9  # of what the input fingerprint covers, and the index's format


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
    for path in paths:
        digest.update(os.path.relpath(path, root).encode() + b"\0")
        digest.update(hashlib.sha256(_content(path, root)).digest())
    digest.update(files_fingerprint(root, inputs).encode())
    return digest.hexdigest()


def files_fingerprint(root: str, inputs: Iterable[str]) -> str:
    """A digest of the content of every file of `inputs` (repo-relative files, or
    folders read whole), and of their names."""
    digest = hashlib.sha256()
    paths: list[str] = []
    for name in inputs:
        digest.update(f"input\0{name}\0".encode())
        full = os.path.join(root, *name.split("/"))
        if inside_repository(name) and os.path.isdir(full) and not os.path.islink(full):
            paths.extend(_walk(full))
        else:
            paths.append(full)
    for path in paths:
        digest.update(os.path.relpath(path, root).encode() + b"\0")
        digest.update(hashlib.sha256(_content(path, root)).digest())
    return digest.hexdigest()


def inside_repository(name: str) -> bool:
    """A recorded input is walked only if it names a place inside the repository (the
    record could have been planted)."""
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
