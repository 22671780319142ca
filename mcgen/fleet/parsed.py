"""The fleet spec as the last command read it, kept by its bytes: a spec file unchanged
since is not parsed again.

Reading a spec of a thousand clusters (libyaml's events with every position, the depth
and JSON-shape checks) costs a render or lint 0.1-0.2 s; this record of its value and
positions, JSON in mcgen's state folder (`mcgen.output.statedir`), costs a hundredth of
that to read. It holds only for the same bytes (SHA-256), shown path, mcgen code and YAML
reader (its first line, so another text's record is not read past it), and only a
spec that read cleanly is kept; everything after the parse (schema,
values files, model, checks) runs on every load. Like mcgen's other caches it is never a
source of truth: missing, foreign or corrupt, it costs one parse. A spec made of
fragments (a folder) is always parsed.
"""

from __future__ import annotations

import hashlib
import json
import os

from mcgen.codeprint import code_fingerprint
from mcgen.location import Location
from mcgen.output.inputprint import state_file
from mcgen.yaml.fastsource import READER
from mcgen.yaml.source import SourceDocument

VERSION = 1


def recall(root: str, shown: str, data: bytes) -> SourceDocument | None:
    """The document last read from `data` at `shown`, or None."""
    try:
        with open(_record(root, shown), encoding="utf-8") as handle:
            if handle.readline() != _stamp(shown, data) + "\n":
                return None  # another text: the rest is not read
            body = json.load(handle)
    except (OSError, ValueError):
        return None
    try:
        keys, lines, cols = body["keys"], body["lines"], body["cols"]
        positions = {tuple(at): Location(shown, line, col)
                     for at, line, col in zip(keys, lines, cols, strict=True)}
    except (KeyError, TypeError, ValueError):
        return None
    return SourceDocument(shown, body["value"], positions)


def remember(root: str, shown: str, data: bytes, document: SourceDocument) -> None:
    """Keep `document`, read from `data`, for the next load; only where mcgen keeps its
    state already (a repository never rendered keeps no trace); a failure costs nothing."""
    path = _record(root, shown)
    if not os.path.isdir(os.path.dirname(path)):
        return
    where = document.positions.values()
    if any(at.path != shown for at in where):
        return
    # The readers make plain JSON values (`mcgen.yaml.source`): str keys, lists, str,
    # int, float, bool, None; JSON gives each back as it was (a NaN as a NaN).
    try:
        text = json.dumps({"value": document.value, "keys": list(document.positions),
                           "lines": [at.line for at in where],
                           "cols": [at.col for at in where]}, separators=(",", ":"))
    except (TypeError, ValueError):  # not plain JSON after all: not kept
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(f"{_stamp(shown, data)}\n{text}")
        os.replace(temporary, path)
    except OSError:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _stamp(shown: str, data: bytes) -> str:
    return hashlib.sha256("\0".join([f"v{VERSION}", code_fingerprint(), READER, shown,
                                     hashlib.sha256(data).hexdigest()]).encode()).hexdigest()


def _record(root: str, shown: str) -> str:
    return state_file(root, os.path.join(root, shown), "spec-*.json")

