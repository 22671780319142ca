"""Words for residency findings: which data, which zone, which regulation."""

from __future__ import annotations

from mcgen.fleet.model import DataClass, Fleet


def zones_text(fleet: Fleet, zones: tuple[str, ...]) -> str:
    """`zone eu (GDPR)`, `zones eu (GDPR) or ch (revFADP)`."""
    named = []
    for name in zones:
        zone = fleet.zones.get(name)
        regulation = f" ({zone.regulation})" if zone and zone.regulation else ""
        named.append(f"{name}{regulation}")
    return ("zone " if len(named) == 1 else "zones ") + " or ".join(named)


def cluster_text(fleet: Fleet, name: str) -> str:
    """`us-east (zone us, region us-east-1)`."""
    cluster = fleet.clusters[name]
    return f"{name} (zone {cluster.zone}, region {cluster.region})"


def resident_class(fleet: Fleet, name: str | None) -> DataClass | None:
    """The data class `name` when it restricts where its data may live."""
    found = fleet.data_classes.get(name) if name else None
    return found if found is not None and found.restricted else None
