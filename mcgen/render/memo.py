"""Render each distinct piece once: within a run, and across runs.

A piece's text is keyed by a digest of everything it is made of (each source says what:
a Jinja template's key covers its source and the context paths it reads, see
`mcgen.sources.jinja.keys`). Pieces with equal keys share one render; a later run finds
the texts of the previous one in a content-addressed file in mcgen's state folder, so a
change to one cluster's values renders only what that cluster's pieces see differently.

The file is a cache, never a source of truth: a missing, corrupt or foreign one is
ignored, and only the entries a run used are kept, so it never grows past one fleet.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mcgen.codeprint import code_fingerprint as code_fingerprint  # its old home
from mcgen.sources.base import Rendition

MEMO_VERSION = 2


@dataclass
class RenderMemo:
    """Rendered texts by key: those of the previous run (`stored`) and this run's.

    A key is a digest of everything its text is made of (each source makes its own:
    `mcgen.sources.base.Piece.key`), so equal keys always mean equal texts.
    """

    stored: Mapping[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)
    renders: int = 0  # pieces actually rendered in this run

    def text(self, key: str, make: Callable[[], Rendition], keep: bool = True) -> Rendition:
        """The text under `key`, made only if no equal text is known; kept for the next
        run unless `keep` is False (a source whose texts must not be stored)."""
        found = self.used.get(key)
        if found is None:
            found = self.stored.get(key)
        if found is None:
            made = make()
            self.renders += 1
            if not isinstance(made, str):
                return made
            found = made
        if keep:
            self.used[key] = found
        return found

    def has(self, key: str) -> bool:
        """Whether the text under `key` is known without making it."""
        return key in self.used or key in self.stored

    def keep(self, key: str) -> None:
        """Keep a stored text for the next run without using it in this one."""
        if key in self.stored:
            self.used[key] = self.stored[key]


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
