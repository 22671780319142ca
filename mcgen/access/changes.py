"""Access changes between two revisions: what each subject gains or loses, per cluster.

Both revisions' rendered objects go through the access model, so a change shows as what
it means (a subject can now read Secrets in a namespace) whatever caused it: a new
binding, a role's rules, a label that aggregates a role into `view`, a cluster moved to
a Kubernetes version whose built-in roles differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from mcgen.access.model import ClusterAccess, cluster_access
from mcgen.access.subjects import Subject
from mcgen.fleet.model import Fleet
from mcgen.objects import ObjectRef

Key = tuple[str, str, ObjectRef]  # fleet, cluster, object
GrantKey = tuple[Subject, str, str, str]  # subject, scope, role, binding


class AccessChange(NamedTuple):
    fleet: str
    cluster: str
    subject: Subject
    kind: str  # "granted" or "revoked"
    scope: str  # "" for all namespaces
    role: str
    binding: str
    rules: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"namespace {self.scope}" if self.scope else "all namespaces"


def access_changes(old: tuple[Iterable[Fleet], Mapping[Key, Mapping[str, object]]],
                   new: tuple[Iterable[Fleet], Mapping[Key, Mapping[str, object]]]
                   ) -> tuple[AccessChange, ...]:
    """Every grant and revocation between the `(fleets, rendered objects)` of two
    revisions, in fleet and cluster order, then by subject."""
    old_fleets, new_fleets = list(old[0]), list(new[0])
    versions = _versions(old_fleets) | _versions(new_fleets)
    before, after = _models(old[1], versions), _models(new[1], versions)
    order = {(f.name, c): i for i, (f, c) in enumerate(
        (f, c) for f in [*new_fleets, *old_fleets] for c in f.clusters)}
    found: list[AccessChange] = []
    for place in sorted(set(before) | set(after), key=lambda p: (order.get(p, len(order)), p)):
        found += _cluster_changes(place, before.get(place), after.get(place))
    return tuple(found)


def _versions(fleets: Iterable[Fleet]) -> dict[tuple[str, str], str]:
    return {(f.name, c.name): c.kubernetes_version for f in fleets for c in f.clusters.values()}


def _models(objects: Mapping[Key, Mapping[str, object]], versions: Mapping[tuple[str, str], str]
            ) -> dict[tuple[str, str], ClusterAccess]:
    grouped: dict[tuple[str, str], list[tuple[ObjectRef, Mapping[str, object]]]] = {}
    for (fleet, cluster, ref), body in objects.items():
        grouped.setdefault((fleet, cluster), []).append((ref, body))
    return {place: cluster_access(place[1], versions.get(place, ""), found)
            for place, found in grouped.items()}


def _atoms(access: ClusterAccess | None) -> dict[GrantKey, set[str]]:
    found: dict[GrantKey, set[str]] = {}
    for grant in access.grants if access else ():
        key = (grant.subject, grant.scope, str(grant.role), str(grant.binding))
        found.setdefault(key, set()).update(str(rule) for rule in grant.rules)
    return found


def _cluster_changes(place: tuple[str, str], before: ClusterAccess | None,
                     after: ClusterAccess | None) -> list[AccessChange]:
    old, new = _atoms(before), _atoms(after)
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: (str(k[0]), k[1], k[2], k[3])):
        had, has = old.get(key), new.get(key)
        for kind, rules in (("granted", (has or set()) - (had or set())),
                            ("revoked", (had or set()) - (has or set()))):
            if rules or (kind == "granted" and had is None and has is not None) or (
                    kind == "revoked" and has is None and had is not None):
                subject, scope, role, binding = key
                changes.append(AccessChange(*place, subject, kind, scope, role, binding,
                                            tuple(sorted(rules))))
    return changes
