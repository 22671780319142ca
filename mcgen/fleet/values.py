"""Value layering (FLEET-SPEC §3): maps merge deeply, lists and scalars replace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from mcgen.fleet.model import Fleet
from mcgen.yaml.source import PathKey


class Layer(NamedTuple):
    """One source of values, with the spec path it comes from (for findings)."""

    name: str
    at: PathKey
    values: Mapping[str, object]


def deep_merge(base: Mapping[str, object], top: Mapping[str, object]) -> dict[str, object]:
    """`top` over `base`; neither is modified."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            merged[key] = deep_merge(below, value)
        else:
            merged[key] = value
    return merged


def layers(fleet: Fleet, component: str, cluster: str) -> list[Layer]:
    """The layers for one (component, cluster), lowest first."""
    comp = fleet.components[component]
    node = fleet.clusters[cluster]
    groups = fleet.groups_of(cluster)
    comp_at: PathKey = ("spec", "components", comp.index)
    found = [
        Layer(f"component {component}", (*comp_at, "values"), comp.values),
        Layer("defaults", ("spec", "defaults", "values"), fleet.default_values),
    ]
    if node.zone in fleet.zones:
        found.append(Layer(f"zone {node.zone}", ("spec", "zones", node.zone, "values"),
                           fleet.zones[node.zone].values))
    found += [Layer(f"group {g.name}", ("spec", "groups", g.index, "values"), g.values)
              for g in groups]
    found.append(Layer(f"cluster {cluster}", ("spec", "clusters", node.index, "values"),
                       node.values))
    found += [Layer(f"override {g.name}", (*comp_at, "overrides", g.name), comp.overrides[g.name])
              for g in groups if g.name in comp.overrides]
    if cluster in comp.overrides:
        found.append(Layer(f"override {cluster}", (*comp_at, "overrides", cluster),
                           comp.overrides[cluster]))
    return [layer for layer in found if layer.values]


def merged_values(fleet: Fleet, component: str, cluster: str) -> dict[str, object]:
    merged: dict[str, object] = {}
    for layer in layers(fleet, component, cluster):
        merged = deep_merge(merged, layer.values)
    return merged


def origin_of(fleet: Fleet, component: str, cluster: str, key: PathKey) -> Layer | None:
    """The top layer that sets the value at `key` (a path inside the merged values)."""
    for layer in reversed(layers(fleet, component, cluster)):
        node: object = layer.values
        for part in key:
            if not isinstance(node, Mapping) or part not in node:
                break
            node = node[part]
        else:
            return layer
    return None
