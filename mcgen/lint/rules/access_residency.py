"""access-residency: a subject can reach sensitive data where it may not hold access.

A namespace holds sensitive data when a component placed there has a data class listed
in `spec.access.sensitiveDataClasses` (by default: every class with a `residency`).
Who can read its Secrets, exec into its Pods (`pods/exec`, `pods/attach`) or read its
workloads (Pods, their logs, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
CronJobs) can read that data, wherever that person sits. `spec.access.subjects` says
where each subject may hold access; this rule reports every grant, on every cluster,
that lets a subject reach a sensitive namespace

- outside the zones and clusters its `subjects` entry allows, or
- when the subject is not listed at all, once `subjects` lists anyone.

Not judged: `system:` users and groups (Kubernetes' own), subjects in
`spec.access.platform` that `subjects` does not list, and unlisted service accounts
(identities of workloads on the cluster itself; list one to restrict it). The finding
sits on the subject entry of the binding, and names the fleet lines behind it:

    access:
      subjects:
        "Group:acme:developers": {zones: [us]}

Example finding:

    clusters/eu-west/platform-rbac/clusterrolebinding-developers-view.yaml:21:5: error:
    Group 'acme:developers' can read workloads in namespace accounts on eu-west (zone
    eu), which holds personal-eu data, through ClusterRoleBinding developers-view
    (ClusterRole view); spec.access.subjects allows it only in zone us. Grant it in the
    namespaces it needs (RoleBindings), or, after review, allow it here in
    spec.access.subjects [access-residency]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.access.model import Grant
from mcgen.findings import Finding, Severity
from mcgen.fleet.access import sensitive_namespaces
from mcgen.fleet.model import Fleet
from mcgen.lint.access import abilities, located_grants, subject_text, via_text
from mcgen.lint.subject import Subject
from mcgen.location import Location

ID = "access-residency"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    for cluster, _, grant, obj in located_grants(subject):
        if cluster is None or cluster not in fleet.clusters or grant.subject.system:
            continue
        sensitive = sensitive_namespaces(fleet, cluster)
        reached = [ns for ns in sensitive if not grant.scope or grant.scope == ns]
        refusal = _refusal(fleet, grant, cluster) if reached else None
        can = abilities(grant) if refusal else []
        if refusal and can:
            reason, where = refusal
            classes = sorted({sensitive[ns] for ns in reached})
            yield subject.finding(
                _RULE, obj, _message(fleet, grant, cluster, (reached, classes, can), reason),
                ("subjects", grant.entry),
                related=(("access", where), *(("data class", fleet.where(
                    "spec", "dataClasses", name)) for name in classes)))


def _refusal(fleet: Fleet, grant: Grant, cluster: str) -> tuple[str, Location] | None:
    """Why `grant`'s subject may not hold access on `cluster`, and the spec line; None if
    it may."""
    spec = fleet.access
    entry = spec.scope_of(grant.subject)
    if entry is not None:
        key, scope = entry
        if fleet.clusters[cluster].zone in scope.zones or cluster in scope.clusters:
            return None
        allowed = [f"zone {z}" for z in scope.zones] + [f"cluster {c}" for c in scope.clusters]
        only = " or ".join(allowed) or "nowhere"
        return (f"spec.access.subjects allows it only in {only}",
                fleet.where("spec", "access", "subjects", key))
    if not spec.subjects or spec.is_platform(grant.subject) or \
            grant.subject.kind == "ServiceAccount":
        return None
    return ("spec.access.subjects does not list it",
            fleet.where("spec", "access", "subjects"))


def _message(fleet: Fleet, grant: Grant, cluster: str,
             reach: tuple[list[str], list[str], list[str]], reason: str) -> str:
    namespaces, classes, can = reach
    spaces = ", ".join(namespaces)
    return (f"{subject_text(grant)} can {' and '.join(can)} in namespace"
            f"{'s' * (len(namespaces) > 1)} {spaces} on {cluster} (zone "
            f"{fleet.clusters[cluster].zone}), which holds {', '.join(classes)} data, through "
            f"{via_text(grant)}; {reason}. Grant it in the namespaces it needs (RoleBindings), "
            "or, after review, allow it here in spec.access.subjects")
