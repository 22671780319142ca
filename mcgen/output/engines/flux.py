"""Flux: `<cluster>/flux-system/` holds one Flux Kustomization per component.

The cluster's folder is what `flux bootstrap --path=<dir>/<cluster>` points at; each
component's Kustomization applies its folder, after the components it depends on on the
same cluster (`dependsOn`), and waits for it to be ready.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcgen.output.emit import generated_by
from mcgen.render.engine import mcgen_labels

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet
    from mcgen.output.layout import TreeBuilder
    from mcgen.render.engine import RenderedFleet, RenderedObject

NAME = "flux"
NEEDS_REPO_URL = True
NEEDS_API_SERVER = False
FLUX_SYSTEM = "flux-system"


def cluster_files(tree: TreeBuilder, top: str, cluster: str, components: list[str]) -> None:
    """`flux-system/` with one Flux Kustomization per component, ordered by dependsOn."""
    fleet = tree.fleet
    folder = posixpath.join(top, FLUX_SYSTEM)
    files = []
    for component in components:
        name = f"{component}.yaml"
        files.append(name)
        body = flux_kustomization(fleet, cluster, component, components)
        tree.add(posixpath.join(folder, name), generated_by([fleet.spec_path]), body)
    if fleet.output.flux.include_bootstrap:
        # Written by `flux bootstrap`; listed so Flux keeps managing itself. mcgen never
        # writes or removes these two files.
        files = ["gotk-components.yaml", "gotk-sync.yaml", *files]
    tree.kustomization(folder, files, [fleet.spec_path])
    tree.kustomization(top, [FLUX_SYSTEM], [fleet.spec_path])


def fleet_files(tree: TreeBuilder, rendered: RenderedFleet) -> None:
    """Nothing beside the clusters: each cluster's Flux reads its own folder."""


def bodies(fleet: Fleet, objects: Sequence[RenderedObject]) -> list[dict[str, object]]:
    return [obj.body for obj in objects]


def flux_kustomization(
    fleet: Fleet, cluster: str, component: str, on_cluster: list[str]
) -> dict[str, object]:
    comp = fleet.components[component]
    spec: dict[str, object] = {
        "interval": fleet.output.flux.interval,
        "path": "./" + posixpath.join(fleet.output.dir.rstrip("/"), cluster, component),
        "prune": True,
        "wait": True,
        "timeout": "5m",
        "sourceRef": {"kind": "GitRepository", "name": FLUX_SYSTEM},
    }
    local = [d.component for d in comp.depends_on if d.component in on_cluster]
    if local:
        spec["dependsOn"] = [{"name": name} for name in sorted(set(local))]
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {
            "name": component,
            "namespace": fleet.output.flux.namespace,
            "labels": mcgen_labels(fleet, component, cluster),
        },
        "spec": spec,
    }
