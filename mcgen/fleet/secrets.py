"""Who can decrypt for each cluster: the `secrets:` recipients of clusters, zones, groups.

A cluster's recipients are its own, its zone's and those of every group it is in, each
once. A zone's or a group's recipients are a convenience for keys every member holds
(a KMS key in the zone's region, a platform team's break-glass PGP key): they count as
recipients of each member cluster, for `.sops.yaml` and for the rules alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from mcgen.location import Problem
from mcgen.sops.recipients import KINDS, Recipient, recipient, shape_problem

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet

SpecPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Declared:
    """One `secrets:` block: whose it is, where it stands, and what it lists."""

    owner: str  # "cluster eu-west", "zone eu", "group us-web"
    at: SpecPath
    recipients: tuple[tuple[Recipient, SpecPath], ...]


@dataclass(frozen=True)
class FleetSecrets:
    """Every declared block, and each cluster's recipients resolved."""

    declared: tuple[Declared, ...] = ()
    by_cluster: Mapping[str, tuple[Recipient, ...]] = field(default_factory=dict)

    def recipients_of(self, cluster: str) -> tuple[Recipient, ...]:
        return self.by_cluster.get(cluster, ())

    def clusters_of(self, found: Recipient) -> tuple[str, ...]:
        """The clusters that hold `found` (own, zone's or group's), in fleet order."""
        return tuple(name for name, mine in self.by_cluster.items() if found in mine)

    @property
    def any(self) -> bool:
        return any(self.by_cluster.values())


Raw = Mapping[str, object]


def read_secrets(spec: Raw) -> FleetSecrets:
    """The recipients of a schema-valid spec, before the shape checks."""
    clusters = _items(spec.get("clusters"))
    groups = _items(spec.get("groups"))
    zones = spec.get("zones") if isinstance(spec.get("zones"), Mapping) else {}
    declared: list[Declared] = []
    zone_keys: dict[str, tuple[Recipient, ...]] = {}
    for name, raw in cast(Raw, zones).items():
        block = _declared(f"zone {name}", ("spec", "zones", str(name)), raw)
        declared += [block] if block.recipients else []
        zone_keys[str(name)] = tuple(r for r, _ in block.recipients)
    group_keys: dict[str, list[Recipient]] = {}
    for index, raw in enumerate(groups):
        block = _declared(f"group {raw.get('name')}", ("spec", "groups", index), raw)
        declared += [block] if block.recipients else []
        for member in _strings(raw.get("clusters")):
            group_keys.setdefault(member, []).extend(r for r, _ in block.recipients)
    by_cluster: dict[str, tuple[Recipient, ...]] = {}
    for index, raw in enumerate(clusters):
        name = str(raw.get("name"))
        block = _declared(f"cluster {name}", ("spec", "clusters", index), raw)
        declared += [block] if block.recipients else []
        own = [r for r, _ in block.recipients]
        zone = zone_keys.get(_zone_of(raw, cast(Raw, zones)), ())
        by_cluster[name] = tuple(dict.fromkeys([*own, *zone, *group_keys.get(name, [])]))
    return FleetSecrets(tuple(declared), by_cluster)


def _items(value: object) -> list[Raw]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _zone_of(cluster: Raw, zones: Raw) -> str:
    region = cluster.get("region")
    homes = [str(name) for name, zone in zones.items()
             if isinstance(zone, Mapping) and region in _strings(zone.get("regions"))]
    return homes[0] if len(homes) == 1 else ""


def _declared(owner: str, at: SpecPath, raw: object) -> Declared:
    block = raw.get("secrets") if isinstance(raw, Mapping) else None
    found: list[tuple[Recipient, SpecPath]] = []
    if isinstance(block, Mapping):
        for kind in KINDS:
            for index, value in enumerate(_strings(block.get(kind))):
                found.append((recipient(kind, value), (*at, "secrets", kind, index)))
    return Declared(owner, (*at, "secrets"), tuple(found))


def recipient_problems(fleet: Fleet) -> Iterator[Problem]:
    """A recipient of the wrong shape, or listed twice in one block, at its line."""
    for block in fleet.secrets.declared:
        seen: set[Recipient] = set()
        for found, at in block.recipients:
            problem = shape_problem(found.kind, _raw_value(fleet, at))
            if problem:
                yield Problem(fleet.where(*at), f"{block.owner}: {problem}")
            elif found in seen:
                yield Problem(fleet.where(*at),
                              f"{block.owner}: recipient {found} is listed twice")
            seen.add(found)


def _raw_value(fleet: Fleet, at: SpecPath) -> str:
    node: object = fleet.source.value
    for part in at:
        node = node[part]  # type: ignore[index]
    return str(node)
