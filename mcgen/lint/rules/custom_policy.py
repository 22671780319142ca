"""policy: the fleet's own CEL policies, from `policies/*.yaml` at the repository root.

Two forms are read, and both are evaluated on the rendered objects of every cluster:

1. mcgen's `Policy` (FLEET-SPEC §6), whose CEL sees `object`, `cluster` (name, region,
   zone, provider, kubernetesVersion, apiServer, wave, labels, groups), `component`
   (name, namespace, dataClass, expose) and `fleet` (name, clusters, zones, groups):

       apiVersion: mcgen.dev/v1alpha1
       kind: Policy
       metadata: {name: eu-storage-class}
       spec:
         severity: error                       # error | warning
         match: {kinds: [PersistentVolumeClaim], clusters: {zone: eu}}
         validate:
           expression: "object.spec.storageClassName.startsWith('eu-')"
           message: "PVCs on EU clusters must use an EU storage class"

   `match.clusters` takes `zone`/`zones`, `names`, `groups` and `labels`; all must hold.

2. A Kubernetes `ValidatingAdmissionPolicy` (admissionregistration.k8s.io/v1), checked
   offline as a CREATE: `spec.matchConstraints.resourceRules` (apiGroups, apiVersions,
   resources, operations) and `objectSelector.matchLabels` pick the objects;
   `spec.variables` and `spec.validations[].expression` see `object`, `oldObject` (null),
   `params` (null), `namespaceObject` (null), `request` and `variables`; the message is
   `messageExpression`, else `message`. `failurePolicy: Ignore` skips checks that cannot
   be evaluated. Bindings are not read: every VAP applies to every cluster, as an error.

Each policy's findings carry the rule ID `policy-<metadata.name>`: suppress one with
`mcgen.dev/ignore: "policy-eu-storage-class: <reason>"` or a `spec.lint.ignore` entry,
and select or disable them all with `--select policy` / `--disable policy`. (Not
`policy/<name>`: `spec.lint.ignore` rule IDs are DNS labels, so a policy whose name has
dots can only be suppressed by the annotation.) An expression
that fails to evaluate on an object (a missing field: guard it with `has()`) is a finding
of its policy. This rule's own ID, `policy`, reports policies that cannot be read: bad
YAML, a missing field, a CEL syntax error (at the expression's line), an unknown
variable, or a Kubernetes-only CEL function mcgen cannot evaluate offline (`authorizer`,
`quantity()`, `url()`, `ip()`, `cidr()`, `semver()`, `format`, regex `find`).

Example finding:

    clusters/eu-west/accounts/persistentvolumeclaim-data.yaml:4:1: error: PVCs on EU
    clusters must use an EU storage class [policy-eu-storage-class]
        policy: policies/eu-storage-class.yaml:9:5
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.lint.subject import LintObject, Subject
from mcgen.policies.evaluate import admission_env, violations
from mcgen.policies.load import Policy, load_policies
from mcgen.policies.match import cluster_selected, object_selected, unknown_selector_keys
from mcgen.render.context import cluster_view, component_view, fleet_view

ID = "policy"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    loaded = load_policies(fleet.root)
    for problem in loaded.problems:
        yield subject.fleet_finding(_RULE, problem.message, problem.location,
                                    problem.location.path)
    shared = fleet_view(fleet)
    views: dict[str, dict[str, object]] = {}
    for policy in loaded.policies:
        yield from _selector_problems(subject, policy)
        clusters = _selected_clusters(fleet, policy)
        for obj in subject.objects:
            if obj.cluster in clusters and object_selected(policy, obj.ref, obj.labels):
                yield from _evaluate(subject, fleet, policy, obj, (shared, views))


def _selector_problems(subject: Subject, policy: Policy) -> Iterator[Finding]:
    unknown = unknown_selector_keys(policy.clusters)
    if unknown:
        yield subject.fleet_finding(
            _RULE, f"policy {policy.name}: unknown key(s) {', '.join(unknown)} in "
            "spec.match.clusters (use zone, zones, names, groups, labels)",
            policy.where, policy.where.path)


def _selected_clusters(fleet: Fleet, policy: Policy) -> frozenset[str]:
    """The clusters `policy.clusters` selects, decided once per policy, not per object."""
    return frozenset(name for name, cluster in fleet.clusters.items()
                     if cluster_selected(fleet, policy.clusters, cluster))


def _cluster_node(fleet: Fleet, name: str) -> dict[str, object]:
    node = cluster_view(fleet.clusters[name])
    node["groups"] = [g.name for g in fleet.groups_of(name)]
    return node


def _evaluate(subject: Subject, fleet: Fleet, policy: Policy, obj: LintObject,
              shared: tuple[dict[str, object], dict[str, dict[str, object]]]
              ) -> Iterator[Finding]:
    """`shared`: the fleet view, and the cluster views built so far (CEL gets copies)."""
    assert obj.cluster is not None
    if policy.admission:
        env = admission_env(obj.body, obj.ref)
    else:
        view, clusters = shared
        node = clusters.get(obj.cluster)
        if node is None:
            node = clusters[obj.cluster] = _cluster_node(fleet, obj.cluster)
        component = fleet.components.get(obj.component or "")
        env = {"object": obj.body, "cluster": node, "fleet": view,
               "component": component_view(component) if component else None}
    for violation in violations(policy, env):
        found = subject.finding(_RULE, obj, f"{obj.ref} on {obj.cluster}: {violation.message}",
                                related=(("policy", violation.validation.where),))
        yield found._replace(rule=policy.rule_id, severity=policy.severity)
