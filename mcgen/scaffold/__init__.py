"""`mcgen init`: a fleet repository that renders and lints clean at once.

Into a folder that already holds files, `mcgen init` adds what is missing and never
overwrites: a file that exists is left as it is (and reported), the example fleet comes
only where the repository has no fleet yet, and `.gitignore` gains the one line mcgen
needs if it lacks it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources

from mcgen import __version__
from mcgen.fleet.discover import FLEETS
from mcgen.fleet.schema import schema_text

FILES = resources.files("mcgen.scaffold").joinpath("files")
DISTRIBUTION = "mcgen-gitops"  # the PyPI name: `mcgen` on PyPI is an unrelated package
PIN = f"{DISTRIBUTION}=={__version__}"
# The example fleet's sources: scaffolded only into a repository that has no fleet yet.
EXAMPLE = ("fleets/", "templates/", "policies/")
GITIGNORE = ".gitignore"
IGNORED = ".mcgen/"
# The fleet schema for editors: the scaffolded fleet's first line names it
# (`# yaml-language-server: $schema=../schemas/fleet.schema.json`), so completion and
# checks work offline, with the schema of the mcgen that wrote it (`mcgen schema -o` it
# again after an upgrade).
SCHEMA = "schemas/fleet.schema.json"


@dataclass(frozen=True)
class Scaffolded:
    """What `mcgen init` did: files created, files left as they were, and whether the
    example fleet was among the files created."""

    created: tuple[str, ...]
    kept: tuple[str, ...]
    example: bool
    gitignore_added: bool = False


def _targets() -> dict[str, str]:
    """Repository path -> text. Dot-files are stored as `dot-*` (packaging), and every
    `@PIN@` stands for the pinned distribution (`mcgen-gitops==<version>`)."""
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
                found[path] = entry.read_text(encoding="utf-8").replace("@PIN@", PIN)
    return dict(sorted(found.items()))


def has_fleet(directory: str) -> bool:
    folder = os.path.join(directory, FLEETS)
    return os.path.isdir(folder) and any(not name.startswith(".") for name in os.listdir(folder))


def scaffold(directory: str) -> Scaffolded:
    """Write what the repository in `directory` lacks; never overwrite anything."""
    example = not has_fleet(directory)
    files = {path: text for path, text in _targets().items()
             if example or not path.startswith(EXAMPLE)}
    files[SCHEMA] = schema_text()
    kept = [p for p in files if os.path.lexists(os.path.join(directory, p))]
    created = [p for p in files if p not in kept]
    for path in created:
        target = os.path.join(directory, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(files[path])
    added = GITIGNORE in kept and _ignore_state(os.path.join(directory, GITIGNORE))
    return Scaffolded(tuple(created), tuple(kept), example, added)


def _ignore_state(path: str) -> bool:
    """Append `.mcgen/` to an existing .gitignore that lacks it; True if it did."""
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    if any(line.strip() in (IGNORED, "/" + IGNORED, ".mcgen") for line in text.splitlines()):
        return False
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(("" if text.endswith("\n") or not text else "\n")
                     + "# mcgen's lock, journal and caches (mcgen init)\n" + IGNORED + "\n")
    return True
