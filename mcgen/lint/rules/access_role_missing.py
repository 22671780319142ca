"""access-role-missing: a binding names a role its cluster does not have.

A RoleBinding or ClusterRoleBinding whose `roleRef` names a Role or ClusterRole that is
neither rendered for its cluster nor built in (for the cluster's Kubernetes version)
grants nothing: whoever was meant to get access does not, and whoever later creates a
role of that name (a chart, an operator, a person with `create` on roles) silently
hands it out. A ClusterRoleBinding that names a Role is refused by the API server.
ClusterRoles named `system:...` are taken as Kubernetes' own. A warning: the role may
come from outside the fleet (an operator, a hand-applied chart); suppress the finding
for those with a `spec.lint.ignore` entry that says so.

Example finding:

    clusters/us-west/shop/rolebinding-readers.yaml:12:3: warning: RoleBinding
    shop/readers binds Role shop/reader, but the cluster has no Role 'reader' in
    namespace shop: the binding grants nothing; render the role with it, or fix the
    name [access-role-missing]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.access import binding_object, models
from mcgen.lint.subject import Subject

ID = "access-role-missing"
SEVERITY = Severity.WARNING
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    for cluster, access in models(subject).items():
        for missing in access.missing:
            obj = binding_object(subject, cluster, missing.binding)
            if obj is not None:
                yield subject.finding(
                    _RULE, obj, f"{missing.binding} binds {missing.role}, but "
                    f"{missing.reason}: the binding grants nothing; render the role with it, "
                    "or fix the name", ("roleRef", "name"))
