"""resource-limits: a container with no resource limits (warning).

A container without `resources.limits` may use all the memory and CPU of its node: one
leak starves every other pod there, and a replica group fails together because its
clusters run the same manifests. Set at least a memory limit. Init containers count;
ephemeral (debug) containers cannot have limits and are skipped. A namespace
`LimitRange` that sets defaults is not visible to this rule: suppress with that reason.

Example finding:

    clusters/us-east/storefront/deployment-storefront.yaml:24:7: warning: container
    'storefront' of Deployment shop/storefront has no resource limits; set
    resources.limits (memory at least) [resource-limits]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject
from mcgen.lint.workloads import container_name, workload_containers, workloads

ID = "resource-limits"
SEVERITY = Severity.WARNING
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    for obj in workloads(subject):
        for at, container in workload_containers(obj):
            resources = container.get("resources")
            limits = resources.get("limits") if isinstance(resources, dict) else None
            if "ephemeralContainers" not in at and not limits:
                yield subject.finding(
                    _RULE, obj, f"container {container_name(container)!r} of {obj.ref} has "
                    "no resource limits; set resources.limits (memory at least)", at)
