"""The access model of a lint run, built once and shared by the access rules, with the
way back from a grant to the binding (and subject entry) a finding points at."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from mcgen.access.model import ClusterAccess, Grant, cluster_access
from mcgen.access.policy import PolicyRule, Request, allows
from mcgen.lint.subject import LintObject, Subject
from mcgen.objects import ObjectRef


class Ability(NamedTuple):
    """Something a grant may let its subject do, as the requests that do it."""

    label: str
    requests: tuple[Request, ...]


def _reads(*resources: tuple[str, str]) -> tuple[Request, ...]:
    return tuple(Request(verb, resource, group)
                 for group, resource in resources for verb in ("get", "list"))


# What reaches a namespace's data: its Secrets, a shell in its Pods, its workloads (their
# specs, environment and logs).
SENSITIVE = (
    Ability("read Secrets", _reads(("", "secrets"))),
    Ability("exec into Pods", tuple(Request(verb, resource) for resource in (
        "pods/exec", "pods/attach") for verb in ("create", "get"))),
    Ability("read workloads", _reads(("", "pods"), ("", "pods/log"), ("apps", "deployments"),
                                     ("apps", "statefulsets"), ("apps", "daemonsets"),
                                     ("apps", "replicasets"), ("batch", "jobs"),
                                     ("batch", "cronjobs"))),
)


def can_any(rule: PolicyRule, request: Request) -> bool:
    """`allows`, counting a rule limited by `resourceNames` as allowing its first name."""
    name = rule.resource_names[0] if rule.resource_names else request.name
    return allows(rule, request._replace(name=name))


def abilities(grant: Grant, among: tuple[Ability, ...] = SENSITIVE) -> list[str]:
    return [a.label for a in among
            if any(can_any(rule, r) for rule in grant.rules for r in a.requests)]


def models(subject: Subject) -> dict[str | None, ClusterAccess]:
    """Each cluster's access model (None: plain manifests), built once per run."""
    found = subject.memo.get("access-models")
    if isinstance(found, dict):
        return found
    built = {cluster: cluster_access(cluster or "", objects[0].kubernetes_version,
                                     ((o.ref, o.body) for o in objects))
             for cluster, objects in subject.by_cluster.items() if objects}
    subject.memo["access-models"] = built
    return built


def binding_object(subject: Subject, cluster: str | None, ref: ObjectRef) -> LintObject | None:
    """The rendered binding behind a grant."""
    index = subject.memo.get("access-bindings")
    if not isinstance(index, dict):
        index = {(o.cluster, o.ref): o for o in subject.objects
                 if o.ref.kind in ("RoleBinding", "ClusterRoleBinding", "Role", "ClusterRole")}
        subject.memo["access-bindings"] = index
    found = index.get((cluster, ref))
    return found if isinstance(found, LintObject) else None


def located_grants(subject: Subject) -> Iterator[tuple[str | None, ClusterAccess, Grant,
                                                      LintObject]]:
    """Every grant of every cluster with the binding object it comes from."""
    for cluster, access in models(subject).items():
        for grant in access.grants:
            obj = binding_object(subject, cluster, grant.binding)
            if obj is not None:
                yield cluster, access, grant, obj


def subject_text(grant: Grant) -> str:
    """`Group 'acme:developers'`, `ServiceAccount monitoring/agent`."""
    who = grant.subject
    if who.kind == "ServiceAccount":
        return f"ServiceAccount {who.namespace}/{who.name}"
    return f"{who.kind} {who.name!r}"


def via_text(grant: Grant) -> str:
    """`ClusterRoleBinding developers-view (ClusterRole view)`."""
    return f"{grant.binding} ({grant.role})"
