"""The ClusterRoles every cluster has, per Kubernetes version, as data.

From Kubernetes' bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy,
`policy.go` and its `testdata/cluster-roles.yaml`): `cluster-admin`, the aggregated
`admin`, `edit` and `view`, the `system:aggregate-to-*` roles they aggregate, and
`system:auth-delegator`. The changes by release that matter for access:

- 1.22: `edit` loses write on `endpoints` (CVE-2021-25740, kubernetes#103675) and gains
  write on `events` (kubernetes#102858); `view` gains read on `endpointslices`
  (kubernetes#101203).
- 1.24: `edit` gains `create` on `serviceaccounts/token` (kubernetes#107880) and on
  `pods/eviction` (kubernetes#108738).

Versions before 1.22 get the rules of the 1.20 bootstrap policy. Not modelled: the Lease
rule that recent bootstrap policies add to `edit` (its release is not pinned down here),
and the rules of the other `system:` roles (bindings to them are taken as valid).
"""

from __future__ import annotations

from typing import NamedTuple

from mcgen.access.policy import PolicyRule

READ = ("get", "list", "watch")
WRITE = ("create", "delete", "deletecollection", "patch", "update")
READ_WRITE = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-"


class BuiltinRole(NamedTuple):
    name: str
    rules: tuple[PolicyRule, ...]
    labels: tuple[tuple[str, str], ...] = ()
    aggregate_from: str = ""  # the `aggregate-to-<x>` label its aggregationRule selects


def _core(verbs: tuple[str, ...], *resources: str) -> PolicyRule:
    return PolicyRule(verbs, ("",), resources)


def _in(group: str, verbs: tuple[str, ...], *resources: str) -> PolicyRule:
    return PolicyRule(verbs, (group,), resources)


def _edit(minor: int) -> tuple[PolicyRule, ...]:
    core_write = ["configmaps", "persistentvolumeclaims", "replicationcontrollers",
                  "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
                  "services/proxy"]
    core_write += ["events"] if minor >= 22 else ["endpoints"]
    since_124 = (_core(("create",), "pods/eviction"),
                 _core(("create",), "serviceaccounts/token")) if minor >= 24 else ()
    return (
        _core(READ, "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
              "services/proxy"),
        _core(("impersonate",), "serviceaccounts"),
        _core(WRITE, "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
        *since_124,
        _core(WRITE, *sorted(core_write)),
        _in("apps", WRITE, "daemonsets", "deployments", "deployments/rollback",
            "deployments/scale", "replicasets", "replicasets/scale", "statefulsets",
            "statefulsets/scale"),
        _in("autoscaling", WRITE, "horizontalpodautoscalers"),
        _in("batch", WRITE, "cronjobs", "jobs"),
        _in("extensions", WRITE, "daemonsets", "deployments", "deployments/rollback",
            "deployments/scale", "ingresses", "networkpolicies", "replicasets",
            "replicasets/scale", "replicationcontrollers/scale"),
        _in("policy", WRITE, "poddisruptionbudgets"),
        _in("networking.k8s.io", WRITE, "ingresses", "networkpolicies"),
    )


def _view(minor: int) -> tuple[PolicyRule, ...]:
    slices = (_in("discovery.k8s.io", READ, "endpointslices"),) if minor >= 22 else ()
    return (
        _core(READ, "configmaps", "endpoints", "persistentvolumeclaims",
              "persistentvolumeclaims/status", "pods", "replicationcontrollers",
              "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
        _core(READ, "bindings", "events", "limitranges", "namespaces/status", "pods/log",
              "pods/status", "replicationcontrollers/status", "resourcequotas",
              "resourcequotas/status"),
        _core(READ, "namespaces"),
        *slices,
        _in("apps", READ, "controllerrevisions", "daemonsets", "daemonsets/status",
            "deployments", "deployments/scale", "deployments/status", "replicasets",
            "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
            "statefulsets/status"),
        _in("autoscaling", READ, "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
        _in("batch", READ, "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
        _in("extensions", READ, "daemonsets", "daemonsets/status", "deployments",
            "deployments/scale", "deployments/status", "ingresses", "ingresses/status",
            "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
            "replicationcontrollers/scale"),
        _in("policy", READ, "poddisruptionbudgets", "poddisruptionbudgets/status"),
        _in("networking.k8s.io", READ, "ingresses", "ingresses/status", "networkpolicies"),
    )


def minor_of(version: str) -> int:
    """31 for "1.31" or "1.31.2" (the schema admits only 1.x versions)."""
    parts = version.split(".")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def builtin_roles(version: str) -> dict[str, BuiltinRole]:
    """The built-in ClusterRoles of a cluster of `version`, by name."""
    minor = minor_of(version)
    roles = (
        BuiltinRole("cluster-admin", (PolicyRule(("*",), ("*",), ("*",)),
                                      PolicyRule(("*",), non_resource_urls=("*",)))),
        BuiltinRole("admin", (), aggregate_from="admin"),
        BuiltinRole("edit", (), ((AGGREGATE + "admin", "true"),), aggregate_from="edit"),
        BuiltinRole("view", (), ((AGGREGATE + "edit", "true"),), aggregate_from="view"),
        BuiltinRole("system:aggregate-to-admin", (
            _in("authorization.k8s.io", ("create",), "localsubjectaccessreviews"),
            _in("rbac.authorization.k8s.io", READ_WRITE, "rolebindings", "roles"),
        ), ((AGGREGATE + "admin", "true"),)),
        BuiltinRole("system:aggregate-to-edit", _edit(minor), ((AGGREGATE + "edit", "true"),)),
        BuiltinRole("system:aggregate-to-view", _view(minor), ((AGGREGATE + "view", "true"),)),
        BuiltinRole("system:auth-delegator", (
            _in("authentication.k8s.io", ("create",), "tokenreviews"),
            _in("authorization.k8s.io", ("create",), "subjectaccessreviews"),
        )),
    )
    return {role.name: role for role in roles}
