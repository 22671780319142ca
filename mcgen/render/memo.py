"""Render each distinct (template, inputs) once: within a run, and across runs.

A template's text is keyed by the template (its name and source, mcgen's own code) and
by the values of every context path it reads (`mcgen.render.reads`). Replicas that agree
on those paths share one render; a later run finds the texts of the previous one in a
content-addressed file in mcgen's state folder, so a change to one cluster's values
renders only what that cluster's templates read differently.

The file is a cache, never a source of truth: a missing, corrupt or foreign one is
ignored, and only the entries a run used are kept, so it never grows past one fleet.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2

import mcgen
from mcgen.render.limits import bounded_output
from mcgen.render.reads import ReadPath, render_key, template_reads

MEMO_VERSION = 1
_UNKNOWN: tuple[ReadPath, ...] = (("?",),)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """mcgen's own code, by the size and time of each file: a new version renders anew."""
    digest = hashlib.sha256(f"mcgen {mcgen.__version__}".encode())
    code = os.path.dirname(os.path.abspath(mcgen.__file__))
    for current, dirs, files in os.walk(code):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(current, name)
                info = os.stat(path)
                digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


@dataclass
class RenderMemo:
    """Rendered texts by key: those of the previous run (`stored`) and this run's."""

    stored: Mapping[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)
    renders: int = 0  # templates actually run by Jinja in this run
    _reads: dict[str, tuple[ReadPath, ...] | None] = field(default_factory=dict)
    _identity: dict[str, str] = field(default_factory=dict)
    _shared: dict[int, str] = field(default_factory=dict)

    def key(self, env: jinja2.Environment, shown: str, source: str,
            context: Mapping[str, object]) -> str:
        """The key of the template's text for `context` (see `mcgen.render.reads`)."""
        reads = self._reads.get(shown, _UNKNOWN)
        if reads is _UNKNOWN:
            reads = self._reads[shown] = template_reads(env, source)
            self._identity[shown] = _identity(shown, source, reads, env)
        return render_key(self._identity[shown], reads, context, self._shared)

    def text(self, key: str, compiled: jinja2.Template, context: Mapping[str, object]) -> str:
        """The text under `key`, rendered only if no equal render is known."""
        found = self.used.get(key)
        if found is None:
            found = self.stored.get(key)
        if found is None:
            found = bounded_output(compiled, context)
            self.renders += 1
        self.used[key] = found
        return found

    def keep(self, key: str) -> None:
        """Keep a stored text for the next run without using it in this one."""
        if key in self.stored:
            self.used[key] = self.stored[key]


def _identity(shown: str, source: str, reads: tuple[ReadPath, ...] | None,
              env: jinja2.Environment) -> str:
    """The template's own part of the key. One that includes or imports others can read
    any file of templates/, so all of them are part of it."""
    digest = hashlib.sha256(f"{code_fingerprint()}\0{shown}\0{source}".encode())
    if reads is None:
        root = str(getattr(env.loader, "templates_dir", ""))
        digest.update(_tree_digest(root).encode())
    return digest.hexdigest()


def _tree_digest(root: str) -> str:
    digest = hashlib.sha256()
    for current, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(current, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    digest.update(f"{os.path.relpath(path, root)}\0".encode())
                    digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def load_memo(path: str) -> RenderMemo:
    """The memo a previous run saved at `path`; an empty one if there is none usable."""
    try:
        with open(path, encoding="utf-8") as handle:
            body = json.load(handle)
        texts = body["texts"]
        if body.get("version") != MEMO_VERSION or body.get("code") != code_fingerprint():
            return RenderMemo()
        if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
            return RenderMemo()
    except (OSError, ValueError, KeyError, TypeError):
        return RenderMemo()
    return RenderMemo(stored=texts)


def save_memo(memo: RenderMemo, path: str) -> None:
    """Keep this run's texts for the next one (atomically; a failure only loses speed)."""
    if memo.used == memo.stored:
        return
    body = {"version": MEMO_VERSION, "code": code_fingerprint(), "texts": memo.used}
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(body, handle, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        if os.path.exists(temporary):
            os.unlink(temporary)
