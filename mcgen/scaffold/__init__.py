"""`mcgen init`: a fleet repository that renders and lints clean at once."""

from __future__ import annotations

import os
from importlib import resources

from mcgen.errors import UsageError

FILES = resources.files("mcgen.scaffold").joinpath("files")


def _targets() -> dict[str, str]:
    """Repository path -> package resource. Dot-files are stored as `dot-*` (packaging)."""
    found: dict[str, str] = {}
    stack = [("", FILES)]
    while stack:
        prefix, folder = stack.pop()
        for entry in folder.iterdir():
            name = "." + entry.name[4:] if entry.name.startswith("dot-") else entry.name
            name = name.removesuffix(".txt")
            path = f"{prefix}{name}"
            if entry.is_dir():
                stack.append((path + "/", entry))
            else:
                found[path] = entry.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def scaffold(directory: str) -> list[str]:
    """Write the starter repository into `directory`; refuses to overwrite anything."""
    files = _targets()
    existing = [p for p in files if os.path.lexists(os.path.join(directory, p))]
    if existing:
        raise UsageError(f"{directory}: refusing to overwrite {', '.join(existing)}")
    for path, text in files.items():
        target = os.path.join(directory, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
    return list(files)
