"""What a template sees (FLEET-SPEC §4): plain, JSON-like data and nothing else."""

from __future__ import annotations

from mcgen.connectivity import reached_clusters
from mcgen.fleet.model import Cluster, Component, Fleet
from mcgen.fleet.values import merged_values

Context = dict[str, object]


def cluster_view(cluster: Cluster) -> dict[str, object]:
    return {
        "name": cluster.name,
        "region": cluster.region,
        "zone": cluster.zone,
        "provider": cluster.provider,
        "kubernetesVersion": cluster.kubernetes_version,
        "apiServer": cluster.api_server,
        "wave": cluster.wave,
        "labels": dict(cluster.labels),
        "groups": [],
    }


def component_view(component: Component) -> dict[str, object]:
    expose = component.expose
    return {
        "name": component.name,
        "namespace": component.namespace,
        "dataClass": component.data_class,
        "expose": None if expose is None else {
            "port": expose.port, "protocol": expose.protocol, "host": expose.host,
        },
    }


def endpoint(fleet: Fleet, component: Component, serving: str, consumer: str) -> str:
    """How `consumer` reaches `component` served on cluster `serving`: in-cluster or across."""
    port = component.expose.port if component.expose else 443
    if serving == consumer:
        return f"{component.name}.{component.namespace}.svc.cluster.local:{port}"
    host = component.expose.host if component.expose and component.expose.host else None
    if host:
        return f"{host.replace('{cluster}', serving)}:{port}"
    return f"{component.name}.{serving}.{fleet.name}.mcgen.internal:{port}"


def dependencies_view(fleet: Fleet, component: Component, cluster: str) -> dict[str, object]:
    """Each consumed component: where it runs, and the endpoint to use from `cluster`."""
    views: dict[str, object] = {}
    here = fleet.clusters[cluster]
    for dep in component.depends_on:
        target = fleet.components[dep.component]
        serving = fleet.placements[target.name]
        clusters = [
            {"name": name, "zone": fleet.clusters[name].zone,
             "region": fleet.clusters[name].region,
             "endpoint": endpoint(fleet, target, name, cluster)}
            for name in serving
        ]
        # Prefer the same cluster, then the same zone, then fleet order.
        ranked = sorted(clusters, key=lambda c: (c["name"] != cluster, c["zone"] != here.zone))
        reached = reached_clusters(fleet, target.name, cluster)
        views[target.name] = {
            "name": target.name,
            "namespace": target.namespace,
            "dataClass": target.data_class,
            "port": dep.port or (target.expose.port if target.expose else None),
            "local": cluster in serving,
            "clusters": clusters,
            "endpoint": ranked[0]["endpoint"] if ranked else None,
            # What `cluster` may reach: itself, else the nearest replica and its peers.
            "replicas": [c for c in clusters if c["name"] in reached],
        }
    return views


def fleet_view(fleet: Fleet) -> dict[str, object]:
    clusters = []
    for cluster in fleet.clusters.values():
        view = cluster_view(cluster)
        view["groups"] = [g.name for g in fleet.groups_of(cluster.name)]
        clusters.append(view)
    return {
        "name": fleet.name,
        "clusters": clusters,
        "zones": {z.name: {"regions": list(z.regions), "regulation": z.regulation}
                  for z in fleet.zones.values()},
        "groups": {g.name: list(g.clusters) for g in fleet.groups.values()},
    }


def build_context(
    fleet: Fleet, component: str, cluster: str, fleet_data: dict[str, object]
) -> Context:
    comp = fleet.components[component]
    node = cluster_view(fleet.clusters[cluster])
    node["groups"] = [g.name for g in fleet.groups_of(cluster)]
    return {
        "cluster": node,
        "component": component_view(comp),
        "values": merged_values(fleet, component, cluster),
        "dependencies": dependencies_view(fleet, comp, cluster),
        "fleet": fleet_data,
    }
