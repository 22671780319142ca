"""Compiled templates kept between runs, in the user's cache folder (MCGEN_CACHE_DIR,
`mcgen.settings.cache_dir`), never in a repository: what a template compiles to, and the
context paths it reads (`mcgen.sources.jinja.reads`), by its text.

Compiling is most of what a run does for a template it renders once or not at all (a
render that keeps every cluster but one still makes every template's key). Jinja's own
bytecode cache holds the code: an entry names the template's path and is checked against
the digest of its text and the Python version. The folder is named after mcgen's code
and Jinja's version, since the environment (`mcgen.sources.jinja.sandbox`) decides what a
text compiles to; it is the user's own, as their Python's bytecode is: a folder others may
write is not used. A failure to read or write an entry only costs a compile.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable
from typing import BinaryIO, NamedTuple

import jinja2
import jinja2.bccache

from mcgen import settings
from mcgen.codeprint import code_fingerprint
from mcgen.sources.jinja.reads import ReadPath

ENTRIES = 4096  # past this many, the older half of a folder is dropped


def cache_folder() -> str | None:
    """This mcgen's folder of compiled templates, made if need be; None when there is
    none (MCGEN_CACHE_DIR=off) or it is unsafe or unwritable."""
    base = settings.cache_dir()
    if base is None:
        return None
    version = f"py{sys.version_info[0]}{sys.version_info[1]}-jinja{jinja2.__version__}"
    folder = os.path.join(base, "templates", f"{code_fingerprint()[:16]}-{version}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid()
            or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None
    return folder


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode of each template, one file an entry in `folder`."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._pruned = False

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, f"{key}.code")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError), open(self._path(bucket.key), "rb") as handle:
            bucket.load_bytecode(handle)  # a wrong version or text leaves it empty

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._prune()
        _write(self._path(bucket.key), bucket.write_bytecode)

    def _prune(self) -> None:
        """Keep the folder bounded (every checkout of a repository has entries of its
        own), once a run: drop the older half past `ENTRIES`."""
        if self._pruned:
            return
        self._pruned = True
        names = _entries(self.folder)
        if len(names) <= ENTRIES:
            return
        aged = sorted(names, key=lambda name: _age(os.path.join(self.folder, name)))
        for name in aged[:len(aged) // 2]:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.folder, name))


class TemplateReads:
    """The context paths each template text reads, kept by its text in `folder` (None:
    computed every run)."""

    def __init__(self, folder: str | None) -> None:
        self.folder = folder

    def get(self, source: str, compute: Callable[[], tuple[ReadPath, ...] | None]
            ) -> tuple[ReadPath, ...] | None:
        if self.folder is None:
            return compute()
        path = os.path.join(self.folder,
                            hashlib.sha256(source.encode()).hexdigest()[:40] + ".reads")
        found = _read_reads(path)
        if found is not None:
            return found.reads
        reads = compute()
        text = json.dumps(None if reads is None else [list(p) for p in reads])
        _write(path, lambda handle: handle.write(text.encode()))
        return reads


class Reads(NamedTuple):
    """An entry of `TemplateReads`: the paths, or None for the whole context."""

    reads: tuple[ReadPath, ...] | None


def _read_reads(path: str) -> Reads | None:
    """An entry of `TemplateReads`, or None for none (or one that is not one)."""
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
    except (OSError, ValueError):
        return None
    if value is None:
        return Reads(None)
    if not isinstance(value, list) or not all(
            isinstance(p, list) and p and all(isinstance(part, str | int)
                                              and not isinstance(part, bool) for part in p)
            for p in value):
        return None
    return Reads(tuple(tuple(p) for p in value))


def _write(path: str, write: Callable[[BinaryIO], object]) -> None:
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except OSError:  # a full disk or a read-only home: only slower
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _entries(folder: str) -> list[str]:
    try:
        return [name for name in os.listdir(folder) if name.endswith((".code", ".reads"))]
    except OSError:
        return []


def _age(path: str) -> int:
    try:
        return os.lstat(path).st_mtime_ns
    except OSError:
        return 0
