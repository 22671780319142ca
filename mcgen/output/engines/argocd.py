"""Argo CD: an AppProject per residency zone, and an Application per component and
cluster (or one ApplicationSet whose RollingSync walks the waves), under `argocd/<fleet>/`.

The cluster folders are plain kustomizations; Argo CD reaches each cluster through its
`apiServer`, and a zone's AppProject admits only that zone's API servers.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcgen.output.emit import generated_by
from mcgen.output.engines.argo_order import (
    RETRY,
    depths,
    local_dependencies,
    ordered_bodies,
    with_sync_wave,
)
from mcgen.render.stamp import LABEL_CLUSTER, LABEL_COMPONENT, LABEL_WAVE, mcgen_labels

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet
    from mcgen.output.layout import TreeBuilder
    from mcgen.render.engine import RenderedFleet, RenderedObject

NAME = "argocd"
NEEDS_REPO_URL = True
NEEDS_API_SERVER = True
LABEL_ZONE = "mcgen.dev/zone"


def cluster_files(tree: TreeBuilder, top: str, cluster: str, components: list[str]) -> None:
    tree.kustomization(top, components, [tree.fleet.spec_path])


def staging_hint(fleet: Fleet) -> str | None:
    if fleet.output.argocd.application_set:
        return None  # RollingSync syncs wave by wave
    return "set spec.output.argocd.applicationSet: true (its RollingSync walks the waves)"


def fleet_files(tree: TreeBuilder, rendered: RenderedFleet) -> None:
    argocd_tree(tree, rendered)


def fleet_folders(fleet: Fleet) -> list[str]:
    return [posixpath.join("argocd", fleet.name)]


def bodies(fleet: Fleet, objects: Sequence[RenderedObject]) -> list[dict[str, object]]:
    return ordered_bodies(objects)


def argocd_tree(tree: TreeBuilder, rendered: RenderedFleet) -> None:
    """`argocd/<fleet>/`: an AppProject per residency zone, and the Applications."""
    fleet = rendered.fleet
    folder, = fleet_folders(fleet)
    sources = generated_by([fleet.spec_path])
    resources = []
    for zone in sorted({c.zone for c in fleet.clusters.values()}):
        name = f"appproject-{zone}.yaml"
        tree.add(posixpath.join(folder, name), sources, app_project(fleet, zone))
        resources.append(name)
    if fleet.output.argocd.application_set:
        tree.add(posixpath.join(folder, "applicationset.yaml"), sources, application_set(fleet))
        resources.append("applicationset.yaml")
    else:
        for cluster in fleet.clusters:
            waves = depths(fleet, cluster)
            for comp in fleet.components_on(cluster):
                name = f"application-{cluster}-{comp.name}.yaml"
                body = application(fleet, cluster, comp.name)
                tree.add(posixpath.join(folder, name), sources,
                         _ordered(fleet, cluster, comp.name, body, waves[comp.name]))
                resources.append(name)
    tree.kustomization(folder, resources, [fleet.spec_path])


def project_name(fleet: Fleet, zone: str) -> str:
    return f"{fleet.name}-{zone}"


def app_project(fleet: Fleet, zone: str) -> dict[str, object]:
    members = [c for c in fleet.clusters.values() if c.zone == zone]
    regulation = fleet.zones[zone].regulation if zone in fleet.zones else None
    about = f"Fleet {fleet.name}, residency zone {zone}"
    about += f" ({regulation})" if regulation else ""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {
            "name": project_name(fleet, zone),
            "namespace": fleet.output.argocd.namespace,
            "labels": {"app.kubernetes.io/managed-by": "mcgen", LABEL_ZONE: zone},
        },
        "spec": {
            "description": about + ": " + ", ".join(c.name for c in members),
            "sourceRepos": [fleet.output.repo_url],
            # Only this zone's API servers: an Application can't send data elsewhere.
            "destinations": [{"server": c.api_server, "namespace": "*"} for c in members],
            "clusterResourceWhitelist": [{"group": "*", "kind": "*"}],
        },
    }


def _ordered(fleet: Fleet, cluster: str, component: str, body: dict[str, object],
             wave: int) -> dict[str, object]:
    """The Application in its sync wave, retrying while its dependencies come up."""
    if not local_dependencies(fleet, cluster, component):
        return body
    spec = body["spec"]
    assert isinstance(spec, dict)
    policy = spec["syncPolicy"]
    assert isinstance(policy, dict)
    spec = {**spec, "syncPolicy": {**policy, "retry": RETRY}}
    return with_sync_wave({**body, "spec": spec}, str(wave))


def application(fleet: Fleet, cluster: str, component: str) -> dict[str, object]:
    node = fleet.clusters[cluster]
    labels = mcgen_labels(fleet, component, cluster)
    labels[LABEL_ZONE] = node.zone
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": f"{cluster}-{component}",
            "namespace": fleet.output.argocd.namespace,
            "labels": labels,
            "finalizers": ["resources-finalizer.argocd.argoproj.io"],
        },
        "spec": {
            "project": project_name(fleet, node.zone),
            "source": {
                "repoURL": fleet.output.repo_url,
                "targetRevision": fleet.output.revision,
                "path": posixpath.join(fleet.output.dir.rstrip("/"), cluster, component),
            },
            "destination": {"server": node.api_server,
                            "namespace": fleet.components[component].namespace},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True},
                           "syncOptions": ["CreateNamespace=true"]},
        },
    }


def application_set(fleet: Fleet) -> dict[str, object]:
    """One ApplicationSet whose RollingSync walks the clusters wave by wave."""
    elements = []
    for cluster in fleet.clusters.values():
        for comp in fleet.components_on(cluster.name):
            elements.append({
                "cluster": cluster.name, "component": comp.name, "server": cluster.api_server,
                "namespace": comp.namespace, "project": project_name(fleet, cluster.zone),
                "path": posixpath.join(fleet.output.dir.rstrip("/"), cluster.name, comp.name),
                "wave": str(cluster.wave), "zone": cluster.zone,
            })
    waves = sorted({c.wave for c in fleet.clusters.values()})
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": fleet.name, "namespace": fleet.output.argocd.namespace,
                     "labels": {"app.kubernetes.io/managed-by": "mcgen"}},
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{"list": {"elements": elements}}],
            "strategy": {"type": "RollingSync", "rollingSync": {"steps": [
                {"matchExpressions": [{"key": LABEL_WAVE, "operator": "In",
                                       "values": [str(w)]}]} for w in waves
            ]}},
            "template": {
                "metadata": {
                    "name": "{{.cluster}}-{{.component}}",
                    "labels": {"app.kubernetes.io/managed-by": "mcgen",
                               LABEL_CLUSTER: "{{.cluster}}", LABEL_COMPONENT: "{{.component}}",
                               LABEL_WAVE: "{{.wave}}", LABEL_ZONE: "{{.zone}}"},
                },
                "spec": {
                    "project": "{{.project}}",
                    "source": {"repoURL": fleet.output.repo_url,
                               "targetRevision": fleet.output.revision, "path": "{{.path}}"},
                    "destination": {"server": "{{.server}}", "namespace": "{{.namespace}}"},
                    "syncPolicy": {"syncOptions": ["CreateNamespace=true"]},
                },
            },
        },
    }
