"""Which clusters a file in the repository is for, so it is encrypted to their recipients.

Two kinds of folders hold files SOPS encrypts for clusters:

- a cluster's output folder, `clusters/<cluster>/` (`spec.output.dir`): that cluster;
- a `manifests:` component's folder: with `{cluster}` in its path, one folder per
  cluster it is placed on (`secrets/{cluster}` -> `secrets/eu-west/` for eu-west);
  without, one folder shared by every cluster the component is placed on.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from mcgen.fleet.model import Component, Fleet

CLUSTER = "{cluster}"


@dataclass(frozen=True)
class SecretFolder:
    """A folder (repo-relative, ending in `/`) and the clusters its files are for."""

    prefix: str
    clusters: tuple[str, ...]
    why: str  # "cluster eu-west's output folder", "component accounts-credentials"


def manifests_path(fleet: Fleet, component: Component) -> str | None:
    """The `manifests:` path of a component as the spec writes it, if it has one."""
    raw = fleet.source.value
    assert isinstance(raw, Mapping)
    item = raw["spec"]["components"][component.index]
    value = item.get("manifests") if isinstance(item, Mapping) else None
    if isinstance(value, Mapping):
        value = value.get("path")
    return str(value) if isinstance(value, str) and value else None


def folder_of(path: str, cluster: str) -> str:
    """A manifests path for one cluster, as a folder prefix."""
    normal = posixpath.normpath(path.replace(CLUSTER, cluster))
    return normal.rstrip("/") + "/"


def secret_folders(fleet: Fleet) -> list[SecretFolder]:
    """Every folder with its clusters, most specific (longest) first, as SOPS must try
    them: it takes the first creation rule that matches."""
    found: dict[str, list[str]] = {}
    why: dict[str, str] = {}
    for component in fleet.components.values():
        path = manifests_path(fleet, component)
        if path is None:
            continue
        for cluster in fleet.placements.get(component.name, ()):
            prefix = folder_of(path, cluster)
            found.setdefault(prefix, []).append(cluster)
            why.setdefault(prefix, f"component {component.name}")
    root = fleet.output.dir.rstrip("/")
    for cluster in fleet.clusters:
        prefix = f"{root}/{cluster}/"
        found.setdefault(prefix, []).append(cluster)
        why.setdefault(prefix, f"cluster {cluster}'s output folder")
    folders = [SecretFolder(prefix, _in_fleet_order(fleet, names), why[prefix])
               for prefix, names in found.items()]
    return sorted(folders, key=lambda f: (-len(f.prefix), f.prefix))


def _in_fleet_order(fleet: Fleet, names: list[str]) -> tuple[str, ...]:
    wanted = set(names)
    return tuple(name for name in fleet.clusters if name in wanted)


def clusters_for(fleet: Fleet, component: str, cluster: str) -> tuple[str, ...]:
    """The clusters an object of `component` rendered for `cluster` was encrypted for:
    that cluster alone when its source folder is per cluster, else every cluster the
    component is placed on (the one file is shared)."""
    comp = fleet.components.get(component)
    if comp is None:
        return (cluster,)
    path = manifests_path(fleet, comp)
    if path is not None and CLUSTER in path:
        return (cluster,)
    return fleet.placements.get(component, (cluster,))
