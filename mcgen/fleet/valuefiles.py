"""`valuesFiles:` beside `values:` (FLEET-SPEC §11): values kept in files of their own.

At every layer that has `values:` (defaults, zones, groups, clusters, components), a list
`valuesFiles: [values/web.yaml, ...]` of repository-relative YAML files merges, in order,
under that layer; the layer's own `values:` merge on top. The files' values enter the
document with their own positions, so a finding about a value points at the line of the
values file that sets it.

Values files lie under `fleets/`, `templates/` or `values/`: those are the folders
`mcgen diff` and `mcgen ci` read from git, and the no-op check fingerprints.
"""

from __future__ import annotations

import copy
import os
import posixpath
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from mcgen.errors import InputError
from mcgen.fleet.values import deep_merge
from mcgen.location import Location, Problem
from mcgen.yaml.source import PathKey, SourceDocument, load_file

FOLDERS = ("fleets", "templates", "values")
KEY = "valuesFiles"


class Resolved(NamedTuple):
    """The document with every `valuesFiles` merged in, and the files it read."""

    document: SourceDocument
    files: tuple[str, ...]


def holders(spec: Mapping[str, object]) -> Iterator[PathKey]:
    """The paths of every mapping of the spec that may hold `values` and `valuesFiles`."""
    yield ("spec", "defaults")
    for kind in ("zones",):
        found = spec.get(kind)
        if isinstance(found, Mapping):
            yield from (("spec", kind, name) for name in found)
    for kind in ("groups", "clusters", "components"):
        found = spec.get(kind)
        if isinstance(found, list):
            yield from (("spec", kind, index) for index in range(len(found)))


def resolve(document: SourceDocument, root: str) -> Resolved:
    """`document` with the files of each `valuesFiles` merged under its layer's values."""
    top = document.value
    spec = top.get("spec") if isinstance(top, Mapping) else None
    if not isinstance(spec, Mapping) or not any(
            KEY in _node(top, at) for at in holders(spec)):
        return Resolved(document, ())
    value = copy.deepcopy(top)
    positions = dict(document.positions)
    read: list[str] = []
    problems: list[Problem] = []
    for at in holders(spec):
        holder = _node(value, at)
        if KEY not in holder:
            continue
        entries = holder[KEY]
        layers: list[SourceDocument] = []
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            loaded = _load(entry, (*at, KEY, index), document, root)
            if isinstance(loaded, SourceDocument):
                layers.append(loaded)
            else:
                problems.extend(loaded)
        merged: dict[str, object] = {}
        for layer in layers:
            merged = deep_merge(merged, _mapping(layer.value))
            read.append(layer.path)
        holder["values"] = deep_merge(merged, _mapping(holder.get("values")))
        for layer in reversed(layers):  # the top layer that sets a key is where it stands
            for key, location in layer.positions.items():
                positions.setdefault((*at, "values", *key), location)
    if problems:
        raise InputError(problems)
    return Resolved(SourceDocument(document.path, value, positions), tuple(dict.fromkeys(read)))


def _node(value: object, at: PathKey) -> dict[str, object]:
    for part in at:
        if isinstance(value, Mapping) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return {}
    return value if isinstance(value, dict) else {}


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _load(entry: object, at: PathKey, document: SourceDocument, root: str
          ) -> SourceDocument | tuple[Problem, ...]:
    """One values file, checked to lie in the repository's input folders; or what is
    wrong with it."""
    try:
        return _read(entry, at, document, root)
    except InputError as exc:
        return exc.problems


def _read(entry: object, at: PathKey, document: SourceDocument, root: str) -> SourceDocument:
    where = document.where(at)
    path = str(entry)
    normal = posixpath.normpath(path)
    if (path.startswith("/") or "\\" in path or normal != path
            or normal.split("/", 1)[0] not in FOLDERS or "/" not in normal):
        raise InputError.at(where, f"values file {path!r} must be a normalised path under "
                                   f"{', '.join(f + '/' for f in FOLDERS)} of the repository "
                                   "(`mcgen diff` and `mcgen ci` read only those from git)")
    full = os.path.join(root, *normal.split("/"))
    if not os.path.isfile(full):
        raise InputError.at(where, f"values file {path!r} does not exist (paths are relative "
                                   "to the repository root)")
    documents = load_file(full, normal, root)
    if not documents:
        return SourceDocument(normal, {}, {})
    if len(documents) != 1 or not isinstance(documents[0].value, Mapping):
        raise InputError.at(Location(normal, 1, 1), "a values file holds one YAML mapping "
                                                    f"(it is named at {where})")
    return documents[0]
