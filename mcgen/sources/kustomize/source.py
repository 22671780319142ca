"""The `kustomize:` source: a kustomize folder (`{cluster}` in its path for overlays),
built per cluster; its objects get mcgen's labels and namespace like any other, and each
names the file it came from (kustomize's origin annotations, as `# Source:` lines)."""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from mcgen.fleet.model import Component, Fleet
from mcgen.fleet.sources import path_problem
from mcgen.location import Location, Problem
from mcgen.render.memo import code_fingerprint
from mcgen.sources.base import Context, Piece, Prepared, Rendition
from mcgen.sources.kustomize.folders import closure, folder_digest, kustomization_of
from mcgen.sources.kustomize.tool import Built, Tool, build, find_tool
from mcgen.sources.origins import SOURCE_COMMENT, origin_at
from mcgen.sources.paths import source_folder
from mcgen.yaml.emit import canonical_yaml
from mcgen.yaml.manifests import DocumentError, parse_documents, read_document

ORIGIN = "config.kubernetes.io/origin"
MAX_BUILDS = 8  # kustomize processes at once
NO_TOOL = ("needs kustomize, and neither `kustomize` nor `kubectl` is on PATH: install "
           "one (https://kubectl.docs.kubernetes.io/installation/kustomize/)")


class KustomizeRun:
    """The kustomize builds of one fleet."""

    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet
        self.tool: Tool | None = find_tool()
        self._digests: dict[str, str] = {}
        self._built: dict[str, Built] = {}  # by piece key, made ahead by `warm`

    def prepare(self, component: Component, cluster: str) -> Prepared:
        context: Context = {"component": component.name, "cluster": cluster}
        folder = source_folder(self.fleet, component, cluster)
        if folder is None:
            return Prepared(context, ())
        if isinstance(folder, Problem):
            return Prepared(context, (), (folder,))
        if self.tool is None:
            where = self.fleet.where_component(component.name, "kustomize")
            return Prepared(context, (), (Problem(where, f"component {component.name!r}: "
                                                         f"`kustomize:` {NO_TOOL}"),))
        folders = closure(self.fleet.root, folder)
        if folders and isinstance(folders[0], Problem):
            return Prepared(context, (), tuple(p for p in folders if isinstance(p, Problem)))
        parts = [code_fingerprint(), self.tool.identity, folder]
        parts.extend(f"{name}={self._digest(name)}" for name in folders
                     if isinstance(name, str))
        key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        return Prepared(context, (Piece(KUSTOMIZE.field, folder, key),))

    def _digest(self, folder: str) -> str:
        found = self._digests.get(folder)
        if found is None:
            found = self._digests[folder] = folder_digest(self.fleet.root, folder)
        return found

    def render(self, piece: Piece, context: Context) -> Rendition:
        assert self.tool is not None  # prepare made no piece without it
        built = self._built.pop(piece.key, None) or build(self.tool, self.fleet.root,
                                                          piece.origin)
        if built.error:
            return (self._failed(piece, context, built.error),)
        parsed = parse_documents(built.text)
        if isinstance(parsed, DocumentError):
            return (self._failed(piece, context, f"unreadable output: {parsed.message}"),)
        return "".join(self._document(doc.value, built.wrapper) for doc in parsed
                       if isinstance(doc.value, dict))

    def _failed(self, piece: Piece, context: Context, message: str) -> Problem:
        component, cluster = str(context["component"]), str(context["cluster"])
        file = kustomization_of(self.fleet.root, piece.origin)
        where = _named_line(self.fleet.root, file, message) if file else Location(
            piece.origin + "/")
        fleet_line = self.fleet.where_component(component, "kustomize")
        return Problem(where, f"kustomize build of {piece.origin}/ failed for component "
                              f"{component!r} on cluster {cluster!r} ({fleet_line}): {message}")

    def _document(self, body: dict[str, object], wrapper: str) -> str:
        """The object, without the origin annotation, after a `# Source:` line."""
        origin, body = _without_origin(body)
        head = ""
        if origin:
            full = os.path.normpath(os.path.join(wrapper, origin))
            path = os.path.relpath(full, os.path.realpath(self.fleet.root))
            head = f"{SOURCE_COMMENT}{path.replace(os.sep, '/')}\n"
        return f"---\n{head}{canonical_yaml(body)}"

    def salt(self) -> str:
        return self.tool.identity if self.tool is not None else ""

    def warm(self, pieces: Sequence[tuple[Piece, Context]]) -> None:
        """Every build at once, a few processes at a time."""
        tool = self.tool
        wanted = {piece.key: piece.origin for piece, _ in pieces}
        if tool is None or len(wanted) < 2:
            return
        from concurrent.futures import ThreadPoolExecutor  # with logging: ~10 ms, if built

        workers = min(len(wanted), 2 * (os.cpu_count() or 1), MAX_BUILDS)
        with ThreadPoolExecutor(workers) as pool:
            made = pool.map(lambda folder: build(tool, self.fleet.root, folder),
                            wanted.values())
            self._built.update(zip(wanted, made, strict=True))

    def locate(self, piece: Piece, text: str, rendered_line: int) -> Location:
        found = origin_at(text, rendered_line)
        if found is None:
            file = kustomization_of(self.fleet.root, piece.origin)
            return Location(file or piece.origin + "/", 1, 1)
        name = _name_after(text, found.line)
        return Location(found.path, _line_of_name(self.fleet.root, found.path, name), 1)


def _without_origin(body: dict[str, object]) -> tuple[str, dict[str, object]]:
    meta = body.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    if not isinstance(meta, dict) or not isinstance(annotations, dict) or (
            ORIGIN not in annotations):
        return "", body
    kept = {k: v for k, v in annotations.items() if k != ORIGIN}
    meta = {k: v for k, v in meta.items() if k != "annotations"}
    if kept:
        meta["annotations"] = kept
    origin = read_document(str(annotations[ORIGIN]), strict=False).value
    path = ""
    if isinstance(origin, dict):
        path = str(origin.get("path") or origin.get("configuredIn") or "")
    return path, {**body, "metadata": meta}


def _named_line(root: str, file: str, message: str) -> Location:
    """The line of `file` naming something kustomize's message quotes (else line 1)."""
    text = _read(root, file)
    quoted = [part for part in message.split("'")[1::2] if part and "\n" not in part]
    for number, line in enumerate(text.splitlines(), start=1):
        for part in quoted:
            name = posixpath.basename(part)
            if name and name in line and not line.lstrip().startswith("#"):
                return Location(file, number, line.find(name) + 1)
    return Location(file, 1, 1)


def _name_after(text: str, line: int) -> str:
    """The `metadata.name` of the document after line `line` of a built text."""
    for row in text.splitlines()[line:]:
        if row.startswith("---"):
            break
        if row.startswith("  name: "):
            return row.removeprefix("  name: ").strip().strip("'\"")
    return ""


def _line_of_name(root: str, file: str, name: str) -> int:
    """The line of `file` whose `name:` is part of `name` (a prefix or suffix may have
    been added), else 1."""
    for number, row in _rows(root, file):
        stripped = row.strip()
        if stripped.startswith("name:"):
            value = stripped.removeprefix("name:").strip().strip("'\"")
            if value and value in name:
                return number
    return 1


def _rows(root: str, file: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(_read(root, file).splitlines(), start=1)


@lru_cache(maxsize=256)
def _read(root: str, file: str) -> str:
    try:
        with open(os.path.join(root, file), encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


class KustomizeSource:
    """`kustomize: <folder>`: the folder built by kustomize, per cluster."""

    field = "kustomize"
    verbatim = False
    memoized = True  # a build takes a process and a tenth of a second or more
    recallable = True  # its run locates from the text and the files on disk
    concurrent = True  # builds are processes: they overlap
    forkable = True

    def inputs(self, fleet: Fleet, component: Component) -> Iterable[str]:
        found: dict[str, None] = {}
        for cluster in fleet.placements.get(component.name, ()):
            folder = source_folder(fleet, component, cluster)
            if isinstance(folder, Problem):
                missing = component.source.path_for(cluster).rstrip("/")
                if not path_problem(missing):
                    found[missing] = None  # missing now: its appearing is a change
                continue
            if folder is None:
                found[component.source.path_for(cluster).rstrip("/")] = None
                continue
            named = closure(fleet.root, folder)
            found.update((name, None) for name in named if isinstance(name, str))
            found[folder] = None
        return tuple(found)

    def start(self, fleet: Fleet) -> KustomizeRun:
        return KustomizeRun(fleet)


KUSTOMIZE = KustomizeSource()
