"""The key of a template's text for one context: what the render memo files it under.

A template's text is keyed by the template (its name and source, mcgen's own code) and
by the values of every context path it reads (`mcgen.sources.jinja.reads`): replicas
that agree on those paths share one render.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping

import jinja2

from mcgen.render.memo import code_fingerprint
from mcgen.sources.jinja.compiled import TemplateReads
from mcgen.sources.jinja.reads import ReadPath, render_key, template_reads

_UNKNOWN: tuple[ReadPath, ...] = (("?",),)


class TemplateKeys:
    """Keys of template texts, with what one run learns of each template kept."""

    def __init__(self, env: jinja2.Environment, known: TemplateReads | None = None) -> None:
        self._env = env
        self._known = known or TemplateReads(None)
        self._reads: dict[str, tuple[ReadPath, ...] | None] = {}
        self._identity: dict[str, str] = {}
        self._shared: dict[int, str] = {}

    def key(self, shown: str, source: str, context: Mapping[str, object]) -> str:
        """The key of template `shown` (whose text is `source`) for `context`."""
        reads = self._reads.get(shown, _UNKNOWN)
        if reads is _UNKNOWN:
            reads = self._reads[shown] = self._known.get(
                source, lambda: template_reads(self._env, source))
            self._identity[shown] = _identity(shown, source, reads, self._env)
        return render_key(self._identity[shown], reads, context, self._shared)


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
