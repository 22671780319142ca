"""Argo CD's order of things: sync waves from `dependsOn`, and inside one Application.

An Application's `argocd.argoproj.io/sync-wave` is how deep its component sits in the
`dependsOn` chains on its cluster: a component with no dependency there is wave 0, one
that depends on it wave 1, and so on. An app-of-apps that applies `argocd/<fleet>/`
syncs the waves in order and waits for each to be healthy (docs/rollout.md says what
Argo CD needs for that). A component that depends on another retries its sync, since
the other's controller or webhook may still be starting when it comes.

Inside one Application, CRDs go first (wave -1) and the custom resources they define last
(wave 1), after the controllers (wave 0). An object that names its own sync wave keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet
    from mcgen.render.engine import RenderedObject

SYNC_WAVE = "argocd.argoproj.io/sync-wave"
CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")
RETRY: dict[str, object] = {
    "limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}}


def depths(fleet: Fleet, cluster: str) -> dict[str, int]:
    """Each component on `cluster`: the length of its longest dependsOn chain there."""
    on = {c.name for c in fleet.components_on(cluster)}
    found: dict[str, int] = {}

    def depth(name: str) -> int:
        if name not in found:
            found[name] = 0  # the fleet checks refuse cycles; this only bounds a bad one
            deps = [d.component for d in fleet.components[name].depends_on if d.component in on]
            found[name] = 1 + max(map(depth, deps)) if deps else 0
        return found[name]

    for name in sorted(on):
        depth(name)
    return found


def local_dependencies(fleet: Fleet, cluster: str, component: str) -> list[str]:
    on = {c.name for c in fleet.components_on(cluster)}
    return sorted({d.component for d in fleet.components[component].depends_on
                   if d.component in on})


def ordered_bodies(objects: Sequence[RenderedObject]) -> list[dict[str, object]]:
    """The bodies of one Application's objects, CRDs and their resources in waves."""
    defined = {_defines(obj.body) for obj in objects if _group_kind(obj.body) == CRD}
    defined.discard(None)
    used = {_group_kind(obj.body) for obj in objects} & defined
    if not used:
        return [obj.body for obj in objects]
    found = []
    for obj in objects:
        kind = _group_kind(obj.body)
        wave = "-1" if kind == CRD and _defines(obj.body) in used else (
            "1" if kind in used else None)
        found.append(obj.body if wave is None else with_sync_wave(obj.body, wave))
    return found


def with_sync_wave(body: Mapping[str, object], wave: str) -> dict[str, object]:
    """`body` with the sync-wave annotation (a copy; one it already has is kept)."""
    meta = body.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    annotations = meta.get("annotations")
    annotations = annotations if isinstance(annotations, dict) else {}
    if SYNC_WAVE in annotations:
        return dict(body)
    return {**body, "metadata": {**meta, "annotations": {**annotations, SYNC_WAVE: wave}}}


def _group_kind(body: Mapping[str, object]) -> tuple[str, str] | None:
    api, kind = body.get("apiVersion"), body.get("kind")
    if not isinstance(api, str) or not isinstance(kind, str):
        return None
    return (api.rpartition("/")[0], kind)


def _defines(body: Mapping[str, object]) -> tuple[str, str] | None:
    spec = body.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    names = spec.get("names")
    group, kind = spec.get("group"), names.get("kind") if isinstance(names, dict) else None
    return (group, kind) if isinstance(group, str) and isinstance(kind, str) else None
