"""access-escalation: a binding grants escalating permissions outside the platform.

Some permissions are worth every other: `escalate` (write roles with rules one lacks),
`bind` (bind roles one lacks), `impersonate` (act as another user, group or service
account), a wildcard verb or resource (`*`, today's and every future API), and
`create` on `pods/exec` (a shell in any Pod of the scope, with its service account's
token and its mounted Secrets). On a fleet each grant is repeated on every cluster its
template reaches. They belong to the few subjects the fleet names in
`spec.access.platform` (and `spec.lint.clusterAdminSubjects`); this rule reports every
grant of one, through any Role or ClusterRole, built-in roles included (`edit` and
`admin` can impersonate service accounts and exec into Pods), to anyone else.
Kubernetes' own `system:` users and groups are not judged.

    access:
      platform: ["Group:acme:platform-team", "ServiceAccount:flux-system:kustomize-controller"]

Example finding:

    clusters/us-east/shop/rolebinding-developers-edit.yaml:17:5: error: RoleBinding
    shop/developers-edit grants Group 'acme:developers' impersonate on serviceaccounts,
    create on pods/exec in namespace shop on us-east through ClusterRole edit; only
    spec.access.platform subjects may hold escalating permissions: bind a narrower role
    (view, or a Role of your own), or add the subject to spec.access.platform after
    review [access-escalation]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.access.policy import ALL, PolicyRule, Request
from mcgen.access.subjects import listed
from mcgen.findings import Finding, Severity
from mcgen.lint.access import can_any, located_grants, subject_text
from mcgen.lint.subject import Subject

ID = "access-escalation"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]

_VERBS = ("escalate", "bind", "impersonate")
_EXEC = Request("create", "pods/exec")


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    platform = (*fleet.access.platform, *fleet.cluster_admin_subjects) if fleet else ()
    for cluster, _, grant, obj in located_grants(subject):
        if grant.subject.system or listed(grant.subject, platform):
            continue
        found = list(dict.fromkeys(what for rule in grant.rules for what in _escalating(rule)))
        if found:
            where = f" on {cluster}" if cluster else ""
            yield subject.finding(
                _RULE, obj, f"{grant.binding} grants {subject_text(grant)} {', '.join(found)} "
                f"in {grant.where}{where} through {grant.role}; only spec.access.platform "
                "subjects may hold escalating permissions: bind a narrower role (view, or a "
                "Role of your own), or add the subject to spec.access.platform after review",
                ("subjects", grant.entry))


def _escalating(rule: PolicyRule) -> Iterator[str]:
    """What in `rule` escalates, in words."""
    things = ",".join(rule.resources or rule.non_resource_urls)
    if ALL in rule.verbs:
        yield f"every verb (*) on {things}"
    if ALL in rule.resources:
        yield "every resource (*)"
    for verb in _VERBS:
        if verb in rule.verbs:
            yield f"{verb} on {things}"
    if ALL not in rule.verbs and can_any(rule, _EXEC):
        yield "create on pods/exec"
