"""The fleet, parsed once at the edge into frozen values the rest of mcgen reads."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from mcgen.fleet.access import AccessSpec
from mcgen.fleet.rollout import Rollout
from mcgen.fleet.secrets import FleetSecrets
from mcgen.fleet.sources import SourceSpec
from mcgen.location import Location
from mcgen.yaml.source import PathKey, SourceDocument

Engine = Literal["flux", "argocd", "kustomize"]
Values = Mapping[str, object]


@dataclass(frozen=True)
class FluxOptions:
    """`spec.output.flux`, and `spec.rollout.flux` (which changes what Flux files hold)."""

    namespace: str = "flux-system"
    interval: str = "10m"
    include_bootstrap: bool = False
    wave_refs: bool = False  # spec.rollout.flux.waveRefs: each wave follows mcgen/wave-<n>
    secret_ref: str | None = None  # the git credentials' Secret for the wave GitRepositories
    decryption_secret: str = ""  # spec.output.flux.decryption.secretRef (section 9)


@dataclass(frozen=True)
class ArgoCDOptions:
    """`spec.output.argocd`."""

    namespace: str = "argocd"
    application_set: bool = False


@dataclass(frozen=True)
class Output:
    dir: str
    engine: Engine
    repo_url: str
    revision: str
    flux: FluxOptions = FluxOptions()
    argocd: ArgoCDOptions = ArgoCDOptions()


@dataclass(frozen=True)
class Zone:
    name: str
    regions: tuple[str, ...]
    regulation: str | None
    values: Values


@dataclass(frozen=True)
class DataClass:
    name: str
    residency: tuple[str, ...]
    allow_consumers_from: tuple[str, ...]

    @property
    def restricted(self) -> bool:
        return bool(self.residency)


@dataclass(frozen=True)
class Cluster:
    name: str
    region: str
    zone: str
    provider: str
    kubernetes_version: str
    api_server: str
    wave: int
    labels: Mapping[str, str]
    values: Values
    index: int
    # `includeBootstrap` of this cluster; None: spec.output.flux.includeBootstrap.
    include_bootstrap: bool | None = None


@dataclass(frozen=True)
class AllowedDifference:
    kind: str | None
    name: str | None
    path: str | None


@dataclass(frozen=True)
class Group:
    name: str
    clusters: tuple[str, ...]
    allowed_differences: tuple[AllowedDifference, ...]
    values: Values
    index: int


@dataclass(frozen=True)
class Placement:
    groups: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    match_labels: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Dependency:
    component: str
    port: int | None


@dataclass(frozen=True)
class Expose:
    port: int
    protocol: str
    host: str | None


@dataclass(frozen=True)
class Component:
    name: str
    source: SourceSpec
    namespace: str
    placement: Placement
    data_class: str | None
    depends_on: tuple[Dependency, ...]
    values: Values
    overrides: Mapping[str, Values]
    expose: Expose | None
    index: int

    @property
    def template(self) -> str:
        """The template folder's name, for a `template:` component; else ""."""
        return self.source.path if self.source.kind == "template" else ""


@dataclass(frozen=True)
class FirewallRule:
    sources: tuple[str, ...]
    target: str
    ports: tuple[int, ...]
    index: int


@dataclass(frozen=True)
class IgnoreEntry:
    rule: str
    target: str
    reason: str
    expires: datetime.date | None
    index: int


@dataclass(frozen=True)
class Fleet:
    """A whole fleet spec; `placements` maps each component to its clusters, in fleet order."""

    name: str
    spec_path: str
    root: str
    output: Output
    zones: Mapping[str, Zone]
    data_classes: Mapping[str, DataClass]
    default_values: Values
    clusters: Mapping[str, Cluster]
    groups: Mapping[str, Group]
    components: Mapping[str, Component]
    firewall: tuple[FirewallRule, ...]
    max_clusters_per_change: int
    crds: tuple[str, ...]
    ignores: tuple[IgnoreEntry, ...]
    cluster_admin_subjects: tuple[str, ...]
    rule_severities: Mapping[str, str]
    placements: Mapping[str, tuple[str, ...]]
    source: SourceDocument = field(repr=False, compare=False)
    rollout: Rollout = field(default_factory=Rollout)  # spec.rollout (fleet/rollout.py)
    secrets: FleetSecrets = field(default_factory=FleetSecrets, repr=False)
    access: AccessSpec = field(default_factory=AccessSpec)
    # the files the spec was read from: the spec or its fragments, then values files
    inputs: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def where(self, *at: str | int) -> Location:
        """Where a path of the spec stands, e.g. where("spec", "clusters", 0, "values")."""
        return self.source.where(tuple(at))

    def where_cluster(self, name: str) -> Location:
        return self.where("spec", "clusters", self.clusters[name].index)

    def where_component(self, name: str, *rest: str | int) -> Location:
        return self.where("spec", "components", self.components[name].index, *rest)

    def where_group(self, name: str, *rest: str | int) -> Location:
        return self.where("spec", "groups", self.groups[name].index, *rest)

    def groups_of(self, cluster: str) -> tuple[Group, ...]:
        return self._groups_by_cluster.get(cluster, ())

    def components_on(self, cluster: str) -> tuple[Component, ...]:
        return self._components_by_cluster.get(cluster, ())

    # Indexes built on first use: a fleet of 1,000 clusters asks these 100,000 times.
    @cached_property
    def _groups_by_cluster(self) -> dict[str, tuple[Group, ...]]:
        found: dict[str, list[Group]] = {}
        for group in self.groups.values():
            for name in dict.fromkeys(group.clusters):
                found.setdefault(name, []).append(group)
        return {name: tuple(groups) for name, groups in found.items()}

    @cached_property
    def _components_by_cluster(self) -> dict[str, tuple[Component, ...]]:
        found: dict[str, list[Component]] = {}
        for component in self.components.values():
            for name in self.placements[component.name]:
                found.setdefault(name, []).append(component)
        return {name: tuple(components) for name, components in found.items()}

    def key_path(self, at: PathKey) -> Location:
        return self.source.where(at)
