"""The `manifests:` source: each top-level `*.yaml`/`*.yml` file of a folder (`{cluster}`
in its path for per-cluster files), written to the component's output folder under its
own name, byte for byte: no header, no labels, no namespace, no re-ordering, so a
SOPS-encrypted file stays decryptable. Its documents are still parsed and linted.

Ownership: mcgen cannot stamp these files inside. Each gets its stamp in a sidecar beside
it, `.<name>.mcgen` (`mcgen.output.ownership`): so a verbatim file is pruned when the
fleet stops producing it, a hand edit is told from a stale copy by the stamped digest,
and a file mcgen never wrote is never overwritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Sequence

from mcgen.fleet.model import Component, Fleet
from mcgen.fleet.sources import path_problem
from mcgen.location import Location, Problem
from mcgen.render.memo import code_fingerprint
from mcgen.sources.base import Context, Piece, Prepared, Rendition
from mcgen.sources.paths import source_folder

SUFFIXES = (".yaml", ".yml")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$")
RESERVED = frozenset({"kustomization.yaml", "kustomization.yml"})  # mcgen writes its own


class ManifestsRun:
    """The verbatim files of one fleet."""

    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet

    def prepare(self, component: Component, cluster: str) -> Prepared:
        folder = source_folder(self.fleet, component, cluster)
        if folder is None:
            return Prepared({}, ())
        if isinstance(folder, Problem):
            return Prepared({}, (), (folder,))
        pieces: list[Piece] = []
        problems: list[Problem] = []
        for name in sorted(os.listdir(os.path.join(self.fleet.root, folder))):
            found = self._piece(folder, name)
            if isinstance(found, Piece):
                pieces.append(found)
            elif found is not None:
                problems.append(found)
        return Prepared({}, tuple(pieces), tuple(problems))

    def _piece(self, folder: str, name: str) -> Piece | Problem | None:
        path = f"{folder}/{name}"
        try:
            info = os.lstat(os.path.join(self.fleet.root, path))
        except OSError:
            return None
        if name.startswith(".") or not name.endswith(SUFFIXES) or stat.S_ISDIR(info.st_mode):
            return None  # not a manifest (a README, a .sops.yaml, a subfolder)
        where = Location(path, 1, 1)
        if not stat.S_ISREG(info.st_mode):
            return Problem(where, "a verbatim manifest must be a regular file, not a "
                                  "symlink or special file")
        if not _NAME.match(name) or name.lower() in RESERVED:
            return Problem(where, f"{name!r} cannot be a verbatim file's name: use letters, "
                                  "digits, '.', '-' and '_' (mcgen writes kustomization.yaml)")
        data = _read(self.fleet.root, path)
        digest = hashlib.sha256(f"{code_fingerprint()}\0{name}\0".encode() + data).hexdigest()
        return Piece(MANIFESTS.field, path, digest, name)

    def render(self, piece: Piece, context: Context) -> Rendition:
        data = _read(self.fleet.root, piece.origin)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            return (Problem(Location(piece.origin, line, 1),
                            "a verbatim manifest must be UTF-8 text (YAML)"),)

    def salt(self) -> str:
        return ""  # its keys are its files' digests

    def warm(self, pieces: Sequence[tuple[Piece, Context]]) -> None:
        return  # rendering is in-process: nothing to overlap

    def locate(self, piece: Piece, text: str, rendered_line: int) -> Location:
        return Location(piece.origin, max(rendered_line, 1), 1)  # the text is the file


def _read(root: str, path: str) -> bytes:
    descriptor = os.open(os.path.join(root, path), os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


class ManifestsSource:
    """`manifests: <folder>`: its files, verbatim."""

    field = "manifests"
    verbatim = True
    concurrent = False
    memoized = False  # reading a file is as quick as the memo, and it may hold secrets
    recallable = False  # never in the memo: read again every run
    forkable = True

    def inputs(self, fleet: Fleet, component: Component) -> Iterable[str]:
        found: dict[str, None] = {}
        for cluster in fleet.placements.get(component.name, ()):
            folder = component.source.path_for(cluster).rstrip("/")
            if not path_problem(folder):
                found[folder] = None
        return tuple(found)

    def start(self, fleet: Fleet) -> ManifestsRun:
        return ManifestsRun(fleet)


MANIFESTS = ManifestsSource()
