"""The grants of one cluster: its bindings resolved against its roles and the built-ins.

A ClusterRoleBinding's role applies cluster-wide (every namespace, cluster-scoped
resources, non-resource URLs); a RoleBinding's only inside its namespace (so never to
cluster-scoped resources or URLs), whether it binds a Role or a ClusterRole. A
ClusterRole with an `aggregationRule` has the rules of every other ClusterRole its
selectors match (aggregated roles included), not its own. A binding whose role the
cluster does not have grants nothing: it is recorded in `missing`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from mcgen.access.builtin import AGGREGATE, builtin_roles
from mcgen.access.policy import PolicyRule, Request, allows, rule_of, selector_matches
from mcgen.access.subjects import Subject, binding_subject
from mcgen.objects import ObjectRef

RBAC_GROUP = "rbac.authorization.k8s.io"
ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")

Body = Mapping[str, object]


class RoleKey(NamedTuple):
    kind: str  # Role or ClusterRole
    name: str
    namespace: str = ""  # Roles only

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else \
            f"{self.kind} {self.name}"


@dataclass(frozen=True)
class RoleDef:
    key: RoleKey
    rules: tuple[PolicyRule, ...]
    labels: Mapping[str, str] = field(default_factory=dict)
    selectors: tuple[Mapping[str, object], ...] | None = None  # set: an aggregated role
    builtin: bool = False


class Grant(NamedTuple):
    """What one subject entry of one binding gives, on one cluster."""

    subject: Subject
    scope: str  # the binding's namespace; "" for a ClusterRoleBinding (cluster-wide)
    role: RoleKey
    binding: ObjectRef
    entry: int  # the index of the subject in the binding's `subjects`
    rules: tuple[PolicyRule, ...]

    @property
    def where(self) -> str:
        return f"namespace {self.scope}" if self.scope else "all namespaces"


class MissingRole(NamedTuple):
    binding: ObjectRef
    role: RoleKey
    reason: str


@dataclass(frozen=True)
class ClusterAccess:
    cluster: str
    version: str
    grants: tuple[Grant, ...]
    missing: tuple[MissingRole, ...] = ()

    @cached_property
    def _by_subject(self) -> dict[Subject, list[Grant]]:
        found: dict[Subject, list[Grant]] = {}
        for grant in self.grants:
            found.setdefault(grant.subject, []).append(grant)
        return found

    @property
    def subjects(self) -> list[Subject]:
        return sorted(self._by_subject, key=str)

    def grants_of(self, subject: Subject, implicit: bool = True) -> list[Grant]:
        """The grants naming `subject`, and with `implicit`, those of the groups
        Kubernetes puts it in (a service account's `system:serviceaccounts...`)."""
        found = list(self._by_subject.get(subject, ()))
        for group in subject.groups if implicit else ():
            found += self._by_subject.get(group, ())
        return found

    def allows(self, subject: Subject, request: Request, namespace: str = "") -> bool:
        """`kubectl auth can-i` offline: may `subject` make `request` in `namespace`
        ("" for cluster-scoped resources, URLs, or across all namespaces)?"""
        return any(allows(rule, request)
                   for grant in self.grants_of(subject)
                   if not grant.scope or (namespace and grant.scope == namespace)
                   if not (request.url and grant.scope)
                   for rule in grant.rules)


def cluster_access(cluster: str, version: str, objects: Iterable[tuple[ObjectRef, Body]]
                   ) -> ClusterAccess:
    """The access model of one cluster from its rendered objects (non-RBAC ones ignored)."""
    roles = dict(_builtins(version))
    bindings: list[tuple[ObjectRef, Body]] = []
    for ref, body in objects:
        if ref.group != RBAC_GROUP:
            continue
        if ref.kind in ROLE_KINDS:
            definition = _role_def(ref, body)
            roles[definition.key] = definition
        elif ref.kind in BINDING_KINDS:
            bindings.append((ref, body))
    effective = _effective(roles)
    grants: list[Grant] = []
    missing: list[MissingRole] = []
    for ref, body in bindings:
        _bind(ref, body, effective, grants, missing)
    grants.sort(key=lambda g: (g.binding, g.entry))  # the same, whatever order objects came in
    missing.sort()
    return ClusterAccess(cluster, version, tuple(grants), tuple(missing))


@lru_cache(maxsize=64)
def _builtins(version: str) -> tuple[tuple[RoleKey, RoleDef], ...]:
    """The built-in roles of `version`, made once per version (read-only)."""
    return tuple((RoleKey("ClusterRole", name), _builtin_def(role.name, role.rules,
                                                             role.labels, role.aggregate_from))
                 for name, role in builtin_roles(version).items())


def _builtin_def(name: str, rules: tuple[PolicyRule, ...], labels: tuple[tuple[str, str], ...],
                 aggregate_from: str) -> RoleDef:
    selectors = ({"matchLabels": {AGGREGATE + aggregate_from: "true"}},) \
        if aggregate_from else None
    return RoleDef(RoleKey("ClusterRole", name), rules, dict(labels), selectors, builtin=True)


def _role_def(ref: ObjectRef, body: Body) -> RoleDef:
    raw_rules = body.get("rules")
    rules = tuple(rule_of(r) for r in raw_rules if isinstance(r, Mapping)) \
        if isinstance(raw_rules, list) else ()
    meta = body.get("metadata")
    labels = meta.get("labels") if isinstance(meta, Mapping) else None
    aggregation = body.get("aggregationRule") if ref.kind == "ClusterRole" else None
    selectors = None
    if isinstance(aggregation, Mapping):
        raw = aggregation.get("clusterRoleSelectors")
        selectors = tuple(s for s in raw if isinstance(s, Mapping)) if isinstance(raw, list) \
            else ()
    namespace = ref.namespace if ref.kind == "Role" else ""
    return RoleDef(RoleKey(ref.kind, ref.name, namespace), rules,
                   {str(k): str(v) for k, v in labels.items()} if isinstance(labels, Mapping)
                   else {}, selectors)


def _effective(roles: Mapping[RoleKey, RoleDef]) -> dict[RoleKey, tuple[PolicyRule, ...]]:
    """Every role's rules, aggregation resolved (a cycle contributes nothing more)."""
    cluster_roles = sorted((r for r in roles.values() if r.key.kind == "ClusterRole"),
                           key=lambda r: r.key.name)
    done: dict[RoleKey, tuple[PolicyRule, ...]] = {}

    def rules_of(role: RoleDef, seen: frozenset[RoleKey]) -> tuple[PolicyRule, ...]:
        if role.selectors is None:
            return role.rules
        if role.key in done:
            return done[role.key]
        found: list[PolicyRule] = []
        for other in cluster_roles:
            if other.key not in seen and other.key != role.key and any(
                    selector_matches(s, other.labels) for s in role.selectors):
                found += rules_of(other, seen | {role.key})
        done[role.key] = tuple(dict.fromkeys(found))
        return done[role.key]

    return {key: rules_of(role, frozenset()) for key, role in roles.items()}


def _bind(ref: ObjectRef, body: Body, effective: Mapping[RoleKey, tuple[PolicyRule, ...]],
          grants: list[Grant], missing: list[MissingRole]) -> None:
    role_ref = body.get("roleRef")
    role_ref = role_ref if isinstance(role_ref, Mapping) else {}
    kind, name = str(role_ref.get("kind", "")), str(role_ref.get("name", ""))
    scope = ref.namespace if ref.kind == "RoleBinding" else ""
    key = RoleKey(kind, name, scope if kind == "Role" else "")
    rules = effective.get(key)
    if kind == "Role" and not scope:
        missing.append(MissingRole(ref, key, "a ClusterRoleBinding can bind only a ClusterRole"))
        return
    if rules is None:
        if kind == "ClusterRole" and name.startswith("system:"):
            rules = ()  # one of Kubernetes' own roles: there, but its rules are not modelled
        else:
            where = f" in namespace {scope}" if kind == "Role" else ""
            missing.append(MissingRole(ref, key, f"the cluster has no {kind} {name!r}{where}"))
            return
    subjects = body.get("subjects")
    for index, item in enumerate(subjects if isinstance(subjects, list) else []):
        subject = binding_subject(item, scope) if isinstance(item, Mapping) else None
        if subject is not None:
            grants.append(Grant(subject, scope, key, ref, index, rules))
