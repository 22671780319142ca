"""A fleet split into fragments: `fleets/<fleet>/*.yaml`, merged into one document.

Each fragment is a whole Fleet document (same `apiVersion`, `kind` and `metadata.name`)
holding part of the spec, so that teams can own their files (CODEOWNERS). Fragments merge
in file-name order: lists are concatenated, maps merged key by key, and a key that two
fragments set to different values (or to a map in one and a list in the other) is a clash,
reported at both places. Every position keeps pointing at the fragment that holds it, so
each later error names the file and line a person has to change.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from mcgen.errors import InputError
from mcgen.fleet.discover import SPEC_SUFFIXES
from mcgen.location import Location, Problem
from mcgen.yaml.source import PathKey, SourceDocument, load_file


def fragment_files(folder: str) -> list[str]:
    """The fragments of a fleet folder, in the order they merge."""
    return [os.path.join(folder, name) for name in sorted(os.listdir(folder))
            if name.endswith(SPEC_SUFFIXES) and not name.startswith(".")
            and os.path.isfile(os.path.join(folder, name))]


def load_fragments(folder: str, shown: str, root: str) -> SourceDocument:
    """The fragments of `folder` (shown as `shown`, e.g. `fleets/acme/`) as one document."""
    documents: list[SourceDocument] = []
    problems: list[Problem] = []
    for path in fragment_files(folder):
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        try:
            found = load_file(path, relative, root)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if len(found) != 1 or not isinstance(found[0].value, Mapping):
            problems.append(Problem(Location(relative, 1, 1), "a fleet fragment holds one Fleet "
                                    f"document (a mapping), found {len(found)} documents"))
            continue
        documents.append(found[0])
    if problems:
        raise InputError(problems)
    merger = _Merger(shown)
    for document in documents:
        merger.add(document)
    if merger.problems:
        raise InputError(merger.problems)
    return SourceDocument(shown, merger.value, merger.positions)


@dataclass
class _Merger:
    """Merges fragments one by one into `value`, moving each position to the path its
    value takes in the merged document (list items shift by what came before)."""

    path: str
    value: dict[str, object] = field(default_factory=dict)
    positions: dict[PathKey, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, document: SourceDocument) -> None:
        grafts: dict[PathKey, PathKey] = {(): ()}
        assert isinstance(document.value, Mapping)
        self._mapping(self.value, document.value, (), (), document, grafts)
        for at, location in document.positions.items():
            moved = _moved(at, grafts)
            if moved is not None:
                self.positions.setdefault(moved, location)

    def _mapping(self, into: dict[str, object], top: Mapping[str, object], src: PathKey,
                 dst: PathKey, document: SourceDocument, grafts: dict[PathKey, PathKey]
                 ) -> None:
        for key, value in top.items():
            here, there = (*src, key), (*dst, key)
            if key not in into:
                into[key] = copy.deepcopy(value)  # later fragments merge into it
                grafts[here] = there
            else:
                self._one(into, key, value, here, there, document, grafts)

    def _one(self, into: dict[str, object], key: str, value: object, src: PathKey,
             dst: PathKey, document: SourceDocument, grafts: dict[PathKey, PathKey]) -> None:
        below = into[key]
        if isinstance(below, dict) and isinstance(value, Mapping):
            grafts[src] = dst
            self._mapping(below, value, src, dst, document, grafts)
        elif isinstance(below, list) and isinstance(value, list):
            grafts[src] = dst
            grafts.update({(*src, i): (*dst, len(below) + i) for i in range(len(value))})
            into[key] = [*below, *value]
        elif below != value or type(below) is not type(value):
            self._clash(dst, document.where(src), below, value)

    def _clash(self, at: PathKey, second: Location, first_value: object, value: object) -> None:
        first = self.positions.get(at, Location(self.path, 1, 1))
        name = ".".join(str(part) for part in at)
        self.problems += [
            Problem(first, f"{name} is set here to {_shown(first_value)} and in {second} to "
                           f"{_shown(value)}; fleet fragments may add to a list or a map but "
                           "not set one key twice: keep one of them"),
            Problem(second, f"{name} is set here to {_shown(value)} and in {first} to "
                            f"{_shown(first_value)}; fleet fragments may add to a list or a map "
                            "but not set one key twice: keep one of them"),
        ]


def _moved(at: PathKey, grafts: Mapping[PathKey, PathKey]) -> PathKey | None:
    """Where the value at `at` of a fragment stands in the merged document; None for the
    maps and lists that an earlier fragment placed keep the first one's positions (the
    caller keeps the first position it sees for each path)."""
    for end in range(len(at), -1, -1):
        target = grafts.get(at[:end])
        if target is not None:
            return (*target, *at[end:])
    return None


def _shown(value: object) -> str:
    if isinstance(value, Mapping):
        return "a map"
    if isinstance(value, list):
        return "a list"
    return repr(value)
