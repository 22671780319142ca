"""access-drift: replicas of a group grant different access.

The clusters of a group (`spec.groups`) serve the same application; whoever can act on
one replica should be able to act on the other, and nobody more. This rule compares
the effective access of every replica with that of the group's first cluster, rule by
rule after bindings, aggregation and the built-in roles of each cluster's Kubernetes
version are resolved, and reports each subject that can do something on one replica
that it cannot on the other. Where `replica-drift` shows which object differs, this
shows what the difference means: who gained or lacks what (a role aggregated from a
differing ClusterRole, a built-in role that changed between versions).

What the group's `allowedDifferences` admits is not a difference: an entry naming the
binding (with no `path`, or a path under `subjects` or `roleRef`) or the role (no
`path`, or under `rules`, `aggregationRule` or `metadata.labels`) behind a grant.

Example finding:

    clusters/us-east/platform-rbac/clusterrolebinding-developers-view.yaml:21:5: error:
    Group 'acme:developers' can get,list,watch secrets in all namespaces on us-east
    through ClusterRoleBinding developers-view (ClusterRole secrets-reader), but not on
    its replica us-west (group us-web): grant the same on every replica, or admit the
    binding in the group's allowedDifferences [access-drift]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.access.model import ClusterAccess, Grant
from mcgen.access.policy import PolicyRule
from mcgen.access.subjects import Subject as Who
from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet, Group
from mcgen.lint.access import binding_object, models, subject_text, via_text
from mcgen.lint.objectdiff import parse_path, starts_with
from mcgen.lint.subject import Subject

ID = "access-drift"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]

Atom = tuple[Who, str, PolicyRule]  # subject, scope, rule
_BINDING_PATHS = (("subjects",), ("roleRef",))
_ROLE_PATHS = (("rules",), ("aggregationRule",), ("metadata", "labels"))


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    access = models(subject)
    for group in fleet.groups.values():
        members = [name for name in group.clusters if name in access]
        for other in members[1:]:
            pair = (members[0], other)
            yield from _compare(subject, fleet, group, pair, access)


def _compare(subject: Subject, fleet: Fleet, group: Group, pair: tuple[str, str],
             access: dict[str | None, ClusterAccess]) -> Iterator[Finding]:
    atoms = {name: _atoms(access[name], group) for name in pair}
    for have, lack in (pair, pair[::-1]):
        extra: dict[Grant, list[PolicyRule]] = {}
        for atom, grant in atoms[have].items():
            if atom not in atoms[lack]:
                extra.setdefault(grant, []).append(atom[2])
        for grant, rules in extra.items():
            obj = binding_object(subject, have, grant.binding)
            if obj is not None:
                yield subject.finding(_RULE, obj, _message(grant, rules, have, lack, group),
                                      ("subjects", grant.entry),
                                      related=(("cluster", fleet.where_cluster(lack)),))


def _atoms(access: ClusterAccess, group: Group) -> dict[Atom, Grant]:
    """Every (subject, scope, rule) the cluster grants, with one grant giving it, less
    what the group admits as different."""
    found: dict[Atom, Grant] = {}
    for grant in access.grants:
        if not _admitted(group, grant):
            for rule in grant.rules:
                found.setdefault((grant.subject, grant.scope, rule), grant)
    return found


def _admitted(group: Group, grant: Grant) -> bool:
    objects = ((grant.binding.kind, grant.binding.name, _BINDING_PATHS),
               (grant.role.kind, grant.role.name, _ROLE_PATHS))
    for entry in group.allowed_differences:
        for kind, name, paths in objects:
            if entry.kind in (None, kind) and entry.name in (None, name) and (
                    entry.path is None or _overlaps(parse_path(entry.path), paths)):
                return True
    return False


def _overlaps(path: tuple[str | int, ...], paths: tuple[tuple[str, ...], ...]) -> bool:
    """`path` is one of `paths`, inside one, or holds one."""
    return any(starts_with(path, p) or starts_with(p, path) for p in paths)


def _message(grant: Grant, rules: list[PolicyRule], have: str, lack: str, group: Group) -> str:
    shown = "; ".join(str(r) for r in rules[:3])
    more = f" (+{len(rules) - 3} more rules)" if len(rules) > 3 else ""
    return (f"{subject_text(grant)} can {shown}{more} in {grant.where} on {have} through "
            f"{via_text(grant)}, but not on its replica {lack} (group {group.name}): grant "
            "the same on every replica, or admit the binding in the group's allowedDifferences")
