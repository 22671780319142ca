"""The access model of a fleet from its rendered tree on disk, or rendered in memory.

`mcgen access` reads the committed tree by default: it is what GitOps applies, and only
the RBAC files (`role-*`, `clusterrole-*`, `rolebinding-*`, `clusterrolebinding-*`, as
mcgen names them) need reading, which keeps a fleet of 1,000 clusters well under a
second. `render=True` renders the fleet in memory instead (always current, slower).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

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
    for cluster in fleet.clusters.values():
        folder = os.path.join(fleet.output.dir, cluster.name)
        if not os.path.isdir(os.path.join(fleet.root, folder)):
            raise UsageError(f"{folder}/ is not rendered: run `mcgen render` first, or "
                             "`mcgen access --render`")
        found = list(_objects(fleet.root, folder, problems))
        access[cluster.name] = cluster_access(cluster.name, cluster.kubernetes_version, found)
    if problems:
        raise InputError(problems)
    return FleetAccess(fleet.name, infos(fleet), access)


def _objects(root: str, folder: str, problems: list[Problem]
             ) -> Iterator[tuple[ObjectRef, Body]]:
    for path in _rbac_files(root, folder):
        text = _read(root, path, problems)
        found = parse_documents(text) if text is not None else []
        if isinstance(found, DocumentError):
            problems.append(Problem(Location(path, found.line, found.column), found.message))
            continue
        for document in found:
            if isinstance(document.value, dict):
                yield ObjectRef.of(document.value), document.value


def _read(root: str, path: str, problems: list[Problem]) -> str | None:
    """The text of a tree file, or None with the problem recorded (a symlink out of
    the repository is refused unread)."""
    full = os.path.join(root, path)
    real = escapes(full, root)
    if real:
        problems.append(refusal(path, real))
        return None
    try:
        with open(full, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(Location(path), f"cannot read: {exc}"))
        return None


def _rbac_files(root: str, folder: str) -> list[str]:
    """Repo-relative paths of the RBAC files under `folder` (component folders one deep)."""
    found = []
    with os.scandir(os.path.join(root, folder)) as components:
        for component in sorted(components, key=lambda e: e.name):
            if not component.is_dir(follow_symlinks=False):
                continue
            with os.scandir(component.path) as files:
                found += [f"{folder}/{component.name}/{f.name}" for f in files
                          if f.name.startswith(RBAC_PREFIXES) and f.name.endswith(".yaml")]
    return sorted(found)
