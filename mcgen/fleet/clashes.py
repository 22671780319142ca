"""Names and folders that clash with what mcgen writes or keeps itself (issue #16).

Checked when the fleet is loaded, at the line to change: a cluster listed twice in a
group, two (cluster, component) pairs whose Argo CD Application would have one name, an
output folder inside mcgen's state folder, inside the fleet's own inputs or reached
through `..` or a symlink. Clashes between fleets (one name, one cluster folder) are
`fleet/shared.py`'s. Collisions of generated files with each other
(a component named `flux-system`, an object whose file would be `kustomization.yaml`)
are found where the tree is built (`output/layout.py`), at the template line.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator

from mcgen.fleet.model import Fleet
from mcgen.location import Problem

# Folders of the repository that an output folder must not be in (or be).
INPUT_FOLDERS = ("fleets", "templates", "policies")
STATE_FOLDER = ".mcgen"  # where mcgen keeps its state when there is no .git folder


def fleet_clashes(fleet: Fleet) -> list[Problem]:
    """Every clash one fleet has by itself."""
    return [*_listed_twice(fleet), *_application_names(fleet), *_output_dir(fleet)]


def _listed_twice(fleet: Fleet) -> Iterator[Problem]:
    for group in fleet.groups.values():
        seen: dict[str, int] = {}
        for index, name in enumerate(group.clusters):
            if name in seen:
                first = fleet.where_group(group.name, "clusters", seen[name])
                yield Problem(fleet.where_group(group.name, "clusters", index),
                              f"group {group.name!r} lists cluster {name!r} twice (first at "
                              f"{first}); list each cluster once")
            seen.setdefault(name, index)


def _application_names(fleet: Fleet) -> Iterator[Problem]:
    """Argo CD names each Application `<cluster>-<component>`: `a-b` + `c` and `a` +
    `b-c` would be one Application (and one file)."""
    if fleet.output.engine != "argocd":
        return
    seen: dict[str, tuple[str, str]] = {}
    for component in fleet.components.values():
        for cluster in fleet.placements[component.name]:
            name = f"{cluster}-{component.name}"
            first = seen.setdefault(name, (cluster, component.name))
            if first != (cluster, component.name):
                yield Problem(fleet.where_component(component.name, "name"),
                              f"component {component.name!r} on cluster {cluster!r} and "
                              f"component {first[1]!r} on cluster {first[0]!r} would both be "
                              f"the Argo CD Application {name!r}; rename one of them")


def _output_dir(fleet: Fleet) -> Iterator[Problem]:
    value = fleet.output.dir
    at = fleet.where("spec", "output", "dir")
    parts = value.replace("\\", "/").split("/")
    normal = posixpath.normpath(value)
    top = normal.split("/")[0]
    if ".." in parts:
        yield Problem(at, f"{value!r}: an output folder may not go through '..'; name it "
                          "from the repository's top")
    elif top == STATE_FOLDER:
        yield Problem(at, f"{value!r} is inside mcgen's state folder {STATE_FOLDER}/; choose "
                          "another folder (the example uses 'clusters')")
    elif top in INPUT_FOLDERS:
        yield Problem(at, f"{value!r} is inside the fleet's own inputs ({top}/); choose "
                          "another folder (the example uses 'clusters')")
    else:
        yield from _linked(fleet, normal)


def _linked(fleet: Fleet, normal: str) -> Iterator[Problem]:
    """The output folder, or a folder above it, is a symlink: writes would land elsewhere."""
    path = fleet.root
    for part in normal.split("/"):
        path = os.path.join(path, part)
        if os.path.islink(path):
            yield Problem(fleet.where("spec", "output", "dir"),
                          f"{fleet.output.dir!r}: {os.path.relpath(path, fleet.root)} is a "
                          "symlink; mcgen writes only into real folders of the repository")
            return
