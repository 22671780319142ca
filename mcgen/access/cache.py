"""The one cache of `mcgen access`: the RBAC documents of the rendered tree, by file.

A file's entry holds what the access model reads of its documents (kind, names, labels,
rules, roleRef, subjects), valid while the file's size, modification time and inode are
those recorded; any other file is read and parsed again. The cache lives in mcgen's
state folder (inside `.git`, never committed or cloned), is written whole and atomically
after a run that changed it, and a missing, unreadable or foreign one is simply empty.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping

from mcgen.output.fastcheck import state_file

FORMAT = 1
Stat = tuple[int, int, int]  # size, mtime_ns, inode
Documents = list[dict[str, object]]
_KEEP = ("apiVersion", "kind", "rules", "aggregationRule", "roleRef", "subjects")
_OWN_LABELS = ("app.kubernetes.io/managed-by", "mcgen.dev/")


def essential(body: Mapping[str, object]) -> dict[str, object]:
    """What the access model reads of an RBAC object (mcgen's own labels left out)."""
    kept: dict[str, object] = {k: body[k] for k in _KEEP if k in body}
    meta = body.get("metadata")
    if isinstance(meta, Mapping):
        labels = meta.get("labels")
        kept["metadata"] = {k: meta[k] for k in ("name", "namespace") if k in meta}
        if isinstance(labels, Mapping):
            kept["metadata"]["labels"] = {  # type: ignore[index]
                k: v for k, v in labels.items() if not str(k).startswith(_OWN_LABELS)}
    return kept


class TreeCache:
    def __init__(self, root: str, spec_path: str) -> None:
        self.path = state_file(root, spec_path, "access-*.json")
        self.files: dict[str, list[object]] = _load(self.path)
        self.changed = False
        self.seen: set[str] = set()

    def get(self, path: str, stat: Stat) -> Documents | None:
        """The documents of `path` if it is as recorded."""
        self.seen.add(path)
        entry = self.files.get(path)
        if entry is None or entry[:3] != list(stat):
            return None
        documents = entry[3]
        return documents if isinstance(documents, list) else None

    def put(self, path: str, stat: Stat, documents: Documents) -> None:
        self.files[path] = [*stat, documents]
        self.changed = True

    def save(self) -> None:
        """Write the cache if it changed (dropping files no longer there), atomically; a
        repository without a state folder keeps no trace."""
        stale = set(self.files) - self.seen
        if not (self.changed or stale) or not os.path.isdir(os.path.dirname(self.path)):
            return
        for path in stale:
            del self.files[path]
        temporary = f"{self.path}.{os.getpid()}.tmp"
        with contextlib.suppress(OSError):
            with open(temporary, "w", encoding="utf-8") as handle:
                # dumps, not dump: only the one-shot form uses the C encoder (10x)
                handle.write(json.dumps({"format": FORMAT, "files": self.files},
                                        separators=(",", ":")))
            os.replace(temporary, self.path)
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _load(path: str) -> dict[str, list[object]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == FORMAT \
        else None
    return {k: v for k, v in files.items() if isinstance(v, list) and len(v) == 4} \
        if isinstance(files, dict) else {}
