"""duplicate-object: the same object twice in one cluster.

Two objects with the same API group, kind, namespace and name in one cluster are one
object to the API server: whichever Argo CD or Flux applies last wins, and the other's
settings silently vanish (Argo CD also reports the application as out of sync forever).
Typical causes: two components both declaring a shared ConfigMap or Namespace, or one
template rendering the same name in a loop. For plain manifests, the whole run counts as
one cluster.

The finding sits on the second occurrence and names the first. Versions of one group
(`apps/v1` and `apps/v1beta2`) count as the same object.

Example finding:

    clusters/us-west/ingress/configmap-shared.yaml:4:1: error: ConfigMap ingress/shared is
    already defined in clusters/us-west/storefront/configmap-shared.yaml:4:1 (component
    storefront); one of them is silently lost [duplicate-object]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import LintObject, Subject

ID = "duplicate-object"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    for objects in subject.by_cluster.values():
        first: dict[tuple[str, str, str, str], LintObject] = {}
        for obj in objects:
            key = (obj.ref.group, obj.ref.kind, obj.ref.namespace, obj.ref.name)
            seen = first.setdefault(key, obj)
            if seen is obj:
                continue
            origin = f" (component {seen.component})" if seen.component else ""
            yield subject.finding(
                _RULE, obj, f"{obj.ref} is already defined in {subject.locate(seen)}{origin}; "
                "one of them is silently lost", ("metadata", "name"))
