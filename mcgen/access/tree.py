"""The access model of a fleet from its rendered tree on disk, or rendered in memory.

`mcgen access` reads the committed tree by default: it is what GitOps applies, and only
the RBAC files (`role-*`, `clusterrole-*`, `rolebinding-*`, `clusterrolebinding-*`, as
mcgen names them) need reading, which keeps a fleet of 1,000 clusters well under a
second. `render=True` renders the fleet in memory instead (always current, slower).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from mcgen.access.cache import Documents, Stat, TreeCache, essential
from mcgen.access.matrix import ClusterInfo, FleetAccess
from mcgen.access.model import Body, ClusterAccess, cluster_access
from mcgen.confine import escapes, refusal
from mcgen.errors import InputError, UsageError
from mcgen.fleet.model import Fleet
from mcgen.location import Location, Problem
from mcgen.objects import ObjectRef
from mcgen.yaml.manifests import DocumentError, parse_documents

RBAC_PREFIXES = ("role-", "clusterrole-", "rolebinding-", "clusterrolebinding-")


def infos(fleet: Fleet) -> tuple[ClusterInfo, ...]:
    return tuple(ClusterInfo(c.name, c.zone, c.kubernetes_version)
                 for c in fleet.clusters.values())


def rendered_access(fleet: Fleet, objects: Iterator[tuple[str, ObjectRef, Body]]
                    ) -> FleetAccess:
    """The access model from `(cluster, ref, body)` of objects rendered in memory."""
    by_cluster: dict[str, list[tuple[ObjectRef, Body]]] = {name: [] for name in fleet.clusters}
    for cluster, ref, body in objects:
        by_cluster.setdefault(cluster, []).append((ref, body))
    return FleetAccess(fleet.name, infos(fleet), {
        name: cluster_access(name, fleet.clusters[name].kubernetes_version, found)
        for name, found in by_cluster.items() if name in fleet.clusters})


def tree_access(fleet: Fleet) -> FleetAccess:
    """The access model from the fleet's rendered tree; every unreadable file reported."""
    problems: list[Problem] = []
    access: dict[str, ClusterAccess] = {}
    cache = TreeCache(fleet.root, os.path.join(fleet.root, fleet.spec_path))
    for cluster in fleet.clusters.values():
        folder = os.path.join(fleet.output.dir, cluster.name)
        if not os.path.isdir(os.path.join(fleet.root, folder)):
            raise UsageError(f"{folder}/ is not rendered: run `mcgen render` first, or "
                             "`mcgen access --render`")
        found = [(ObjectRef.of(body), body)
                 for path, stat in _rbac_files(fleet.root, folder, problems)
                 for body in _documents(fleet.root, path, stat, cache, problems)]
        access[cluster.name] = cluster_access(cluster.name, cluster.kubernetes_version, found)
    if problems:
        raise InputError(problems)
    cache.save()
    return FleetAccess(fleet.name, infos(fleet), access)


def _documents(root: str, path: str, stat: Stat, cache: TreeCache,
               problems: list[Problem]) -> Documents:
    """The RBAC documents of one file, from the cache while the file is as recorded."""
    cached = cache.get(path, stat)
    if cached is not None:
        return cached
    text = _read(root, path, problems)
    found = parse_documents(text) if text is not None else []
    if isinstance(found, DocumentError):
        problems.append(Problem(Location(path, found.line, found.column), found.message))
        return []
    documents = [essential(d.value) for d in found if isinstance(d.value, dict)]
    if text is not None:
        cache.put(path, stat, documents)
    return documents


def _read(root: str, path: str, problems: list[Problem]) -> str | None:
    """The text of a tree file, or None with the problem recorded."""
    try:
        with open(os.path.join(root, path), encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(Location(path), f"cannot read: {exc}"))
        return None


def _rbac_files(root: str, folder: str, problems: list[Problem]) -> list[tuple[str, Stat]]:
    """Repo-relative paths of the RBAC files under `folder` (component folders one deep).

    A symlink is refused unread (mcgen writes none): the cluster folder is checked where
    it leads, its entries by the type the directory listing gives, at no extra cost.
    """
    real = escapes(os.path.join(root, folder), root)
    if real:
        problems.append(refusal(folder, real))
        return []
    found = []
    with os.scandir(os.path.join(root, folder)) as components:
        for component in sorted(components, key=lambda e: e.name):
            if component.is_symlink():
                problems.append(Problem(Location(f"{folder}/{component.name}"),
                                        "a symlink in the rendered tree; refusing it"))
            elif component.is_dir():
                found += _component_files(f"{folder}/{component.name}", component.path,
                                          problems)
    return sorted(found)


def _component_files(folder: str, full: str, problems: list[Problem]
                     ) -> list[tuple[str, Stat]]:
    found = []
    with os.scandir(full) as files:
        for entry in files:
            if not (entry.name.startswith(RBAC_PREFIXES) and entry.name.endswith(".yaml")):
                continue
            if entry.is_symlink():
                problems.append(Problem(Location(f"{folder}/{entry.name}"),
                                        "a symlink in the rendered tree; refusing it"))
            else:
                info = entry.stat(follow_symlinks=False)
                found.append((f"{folder}/{entry.name}",
                              (info.st_size, info.st_mtime_ns, info.st_ino)))
    return found
