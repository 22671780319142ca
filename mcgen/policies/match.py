"""Which objects and clusters a policy applies to."""

from __future__ import annotations

from collections.abc import Mapping

from mcgen.fleet.model import Cluster, Fleet
from mcgen.objects import ObjectRef
from mcgen.policies.load import Policy, ResourceRule

# Kinds whose resource name is not the lowercase plural of the kind.
RESOURCES = {
    "Endpoints": "endpoints", "ComponentStatus": "componentstatuses",
    "PodMetrics": "pods", "NodeMetrics": "nodes",
}


def resource_of(kind: str) -> str:
    """The API resource of a kind: a small table, else the lowercase plural."""
    if kind in RESOURCES:
        return RESOURCES[kind]
    lower = kind.lower()
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lower[:-1] + "ies"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return lower + "es"
    return lower + "s"


def cluster_selected(fleet: Fleet, selector: Mapping[str, object], cluster: Cluster) -> bool:
    """`{zone: eu}`, `{zones: [...]}`, `{names: [...]}`, `{groups: [...]}`,
    `{labels: {...}}` (or `matchLabels`); every key given must hold."""
    groups = {g.name for g in fleet.groups_of(cluster.name)}
    tests = {
        "zone": lambda v: cluster.zone in _names(v),
        "zones": lambda v: cluster.zone in _names(v),
        "names": lambda v: cluster.name in _names(v),
        "clusters": lambda v: cluster.name in _names(v),
        "groups": lambda v: bool(groups & _names(v)),
        "labels": lambda v: _labels_match(cluster.labels, v),
        "matchLabels": lambda v: _labels_match(cluster.labels, v),
    }
    return all(tests[key](value) for key, value in selector.items() if key in tests)


def unknown_selector_keys(selector: Mapping[str, object]) -> list[str]:
    known = ("zone", "zones", "names", "clusters", "groups", "labels", "matchLabels")
    return [key for key in selector if key not in known]


def _names(value: object) -> set[str]:
    return {str(v) for v in value} if isinstance(value, list) else {str(value)}


def _labels_match(labels: Mapping[str, object], wanted: object) -> bool:
    if not isinstance(wanted, Mapping):
        return False
    return all(str(labels.get(str(k))) == str(v) for k, v in wanted.items())


def object_selected(policy: Policy, ref: ObjectRef, labels: Mapping[str, object]) -> bool:
    """Does `policy` look at this object (kinds, or resource rules for CREATE/UPDATE)?"""
    if not policy.admission:
        return not policy.kinds or ref.kind in policy.kinds
    if not _labels_match(labels, policy.object_labels):
        return False
    return (any(_rule_matches(rule, ref) for rule in policy.rules)
            and not any(_rule_matches(rule, ref) for rule in policy.excluded))


def _rule_matches(rule: ResourceRule, ref: ObjectRef) -> bool:
    version = ref.api_version.rpartition("/")[2]
    return (
        _among(ref.group, rule.groups) and _among(version, rule.versions)
        and _among(resource_of(ref.kind), rule.resources)
        and bool({"CREATE", "UPDATE", "*"} & set(rule.operations))
    )


def _among(value: str, allowed: tuple[str, ...]) -> bool:
    return "*" in allowed or value in allowed
