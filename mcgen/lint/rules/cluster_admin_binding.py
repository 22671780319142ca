"""cluster-admin-binding: a ClusterRoleBinding grants cluster-admin to an unlisted subject.

`cluster-admin` can do anything on every object of the cluster, read every Secret
included. Each cluster of a fleet has its own API server and roles, so one careless
binding in a shared template hands the whole fleet to its subject. Bindings of
`cluster-admin` are allowed only for subjects the fleet lists in
`spec.lint.clusterAdminSubjects`, and for Kubernetes' own `system:` subjects
(`system:masters`, `system:serviceaccount:...`). A list entry matches a subject written
as its name (`acme:platform-team`), as `<Kind>:<name>` (`Group:acme:platform-team`), or,
for a service account, as `<namespace>/<name>` or `system:serviceaccount:<ns>:<name>`:

    lint:
      clusterAdminSubjects: ["Group:acme:platform-team", "flux-system/kustomize-controller"]

Plain manifests linted without a fleet have an empty list. The finding sits on the
subject.

Example finding:

    clusters/us-east/platform-rbac/clusterrolebinding-platform-admins.yaml:18:3: error:
    ClusterRoleBinding platform-admins grants cluster-admin to Group 'acme:developers',
    which spec.lint.clusterAdminSubjects does not list; bind a narrower ClusterRole, or
    list the subject after review [cluster-admin-binding]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject

ID = "cluster-admin-binding"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    allowed = set(subject.fleet.cluster_admin_subjects) if subject.fleet else set()
    for obj in subject.objects:
        role = obj.body.get("roleRef")
        if obj.ref.kind != "ClusterRoleBinding" or not isinstance(role, dict) or (
                role.get("kind"), role.get("name")) != ("ClusterRole", "cluster-admin"):
            continue
        subjects = obj.body.get("subjects")
        for index, item in enumerate(subjects if isinstance(subjects, list) else []):
            if isinstance(item, dict) and not _allowed(item, allowed):
                kind, name = item.get("kind", "subject"), item.get("name")
                yield subject.finding(
                    _RULE, obj, f"{obj.ref} grants cluster-admin to {kind} {name!r}, which "
                    "spec.lint.clusterAdminSubjects does not list; bind a narrower "
                    "ClusterRole, or list the subject after review", ("subjects", index))


def _allowed(item: Mapping[str, object], allowed: set[str]) -> bool:
    """Is the subject listed, in any spelling, or one of Kubernetes' own `system:` ones?"""
    kind, name, namespace = (str(item.get(k) or "") for k in ("kind", "name", "namespace"))
    if name.startswith("system:"):
        return True
    names = {name, f"{kind}:{name}"}
    if kind == "ServiceAccount":
        names |= {f"{namespace}/{name}", f"system:serviceaccount:{namespace}:{name}"}
    return bool(names & allowed)
