"""replica-drift: clusters of one replication group render different objects.

The clusters of a group (`spec.groups`) serve the same application behind a load
balancer: a change that reaches one replica and not the other, or a value set for one
cluster only, is how one region starts answering differently from the other. This rule
compares the rendered objects of every replica with those of the group's first cluster,
field by field, and reports

- an object rendered on one replica and not on another;
- every JSON path whose value differs, with the value on each cluster, and the fleet-spec
  line the difference comes from: the values layer that sets the differing value (a
  cluster's `values`, a component's `overrides[<cluster>]`...), or the cluster's entry
  when the difference does not trace back to a value (e.g. a template using
  `cluster.name`);
- (warning) replicas on different Kubernetes versions.

Not differences: mcgen's own per-cluster labels (`mcgen.dev/cluster`, `mcgen.dev/wave`),
and what the group's `allowedDifferences` admits. Each entry names objects by `kind`
and/or `name`, and optionally a JSON path prefix (`path`, dotted, `[0]` for list items,
`["a.b/c"]` for keys with dots); an entry with no path admits the whole object:

    groups:
      - name: us-web
        clusters: [us-west, us-east]
        allowedDifferences:
          - {kind: ConfigMap, name: cluster-identity}        # the whole object
          - {path: metadata.annotations}                     # on every object
          - {kind: DaemonSet, path: spec.template.metadata.annotations}

Example finding:

    clusters/us-east/storefront/deployment-storefront.yaml:15:3: error: Deployment
    shop/storefront differs between replicas us-west and us-east of group us-web at
    spec.replicas: us-west has 3, us-east has 4 [replica-drift]
        values (override us-east): fleets/acme.yaml:70:30

A canary on one replica is a deliberate difference: suppress it with an expiring
`spec.lint.ignore` entry (`{rule: replica-drift, target: us-east/storefront, ...}`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet, Group
from mcgen.fleet.values import merged_values, origin_of
from mcgen.lint.objectdiff import (
    MISSING,
    Difference,
    differences,
    format_path,
    parse_path,
    same,
    shown,
    starts_with,
)
from mcgen.lint.subject import LintObject, Subject
from mcgen.location import Location
from mcgen.objects import ObjectRef
from mcgen.render.stamp import LABEL_CLUSTER, LABEL_WAVE
from mcgen.secrets.redact import shown_value
from mcgen.yaml.source import PathKey

ID = "replica-drift"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]

_OWN_LABELS = {("metadata", "labels", LABEL_CLUSTER), ("metadata", "labels", LABEL_WAVE)}


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    for group in fleet.groups.values():
        members = [name for name in group.clusters if name in fleet.clusters]
        yield from _versions(subject, fleet, group, members)
        for other in members[1:]:
            yield from _compare(subject, fleet, group, (members[0], other))


def _versions(subject: Subject, fleet: Fleet, group: Group, members: list[str]
              ) -> Iterator[Finding]:
    versions = {fleet.clusters[name].kubernetes_version for name in members}
    if len(versions) > 1:
        listed = ", ".join(f"{n} {fleet.clusters[n].kubernetes_version}" for n in members)
        yield subject.fleet_finding(
            _RULE, f"replicas of group {group.name} run different Kubernetes versions "
            f"({listed}): an object accepted by one may be rejected by the other; upgrade "
            "the replicas one after the other and bring them back to one version",
            fleet.where_group(group.name, "clusters"), f"group/{group.name}", Severity.WARNING)


def _compare(subject: Subject, fleet: Fleet, group: Group, pair: tuple[str, str]
             ) -> Iterator[Finding]:
    first, other = pair
    left = {o.ref: o for o in subject.by_cluster.get(first, [])}
    right = {o.ref: o for o in subject.by_cluster.get(other, [])}
    for ref in sorted(set(left) | set(right)):
        allowed = _allowed(group, ref)
        if () in allowed:
            continue
        one, two = left.get(ref), right.get(ref)
        if one is None or two is None:
            yield _missing(subject, fleet, group, pair, one or two)
            continue
        if same(_without_own_labels(one.body), _without_own_labels(two.body),
                _nan_free(one) and _nan_free(two)):
            continue  # most replicas render alike: skip the walk path by path
        for diff in differences(one.body, two.body):
            if diff.at not in _OWN_LABELS and not any(starts_with(diff.at, p) for p in allowed):
                yield _drift(subject, fleet, group, (one, two), diff)


def _nan_free(obj: LintObject) -> bool:
    """Whether the object cannot hold a NaN: a rendered one was parsed by
    `parse_documents`, which refuses NaN (or made by mcgen itself, a Namespace)."""
    return obj.rendered is not None


def _without_own_labels(body: dict[str, object]) -> dict[str, object]:
    """`body` minus the labels in `_OWN_LABELS` (copies of the parts that change)."""
    meta = body.get("metadata")
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if not isinstance(meta, dict) or not isinstance(labels, dict):
        return body
    kept = dict(labels)
    for *_, label in _OWN_LABELS:
        kept.pop(label, None)
    return {**body, "metadata": {**meta, "labels": kept}}


def _allowed(group: Group, ref: ObjectRef) -> list[PathKey]:
    """The path prefixes that may differ on `ref`; `()` admits the whole object."""
    return [parse_path(entry.path) if entry.path else ()
            for entry in group.allowed_differences
            if entry.kind in (None, ref.kind) and entry.name in (None, ref.name)]


def _missing(subject: Subject, fleet: Fleet, group: Group, pair: tuple[str, str],
             present: LintObject | None) -> Finding:
    assert present is not None and present.cluster is not None
    lacking = pair[1] if present.cluster == pair[0] else pair[0]
    return subject.finding(
        _RULE, present, f"{present.ref} is rendered on {present.cluster} but not on its "
        f"replica {lacking} (group {group.name}); replicas must render the same objects: "
        "place the component on the whole group, or admit the object in allowedDifferences",
        related=(("cluster", fleet.where_cluster(lacking)),))


def _drift(subject: Subject, fleet: Fleet, group: Group,
           pair: tuple[LintObject, LintObject], diff: Difference) -> Finding:
    one, two = pair
    message = (
        f"{two.ref} differs between replicas {one.cluster} and {two.cluster} of group "
        f"{group.name} at {format_path(diff.at)}: {one.cluster} has "
        f"{shown_value(one.body, diff.at, diff.left, shown(diff.left))}, {two.cluster} has "
        f"{shown_value(two.body, diff.at, diff.right, shown(diff.right))}; render the same "
        "on every replica or admit "
        "the path in the group's allowedDifferences")
    return subject.finding(_RULE, two, message, diff.at, related=(_origin(fleet, pair, diff),))


def _origin(fleet: Fleet, pair: tuple[LintObject, LintObject], diff: Difference
            ) -> tuple[str, Location]:
    """The fleet-spec line behind a difference: the values layer, else the cluster entry."""
    one, two = pair
    component, first, other = two.component, one.cluster, two.cluster
    assert first is not None and other is not None
    if component is not None and component in fleet.components:
        values = (merged_values(fleet, component, first), merged_values(fleet, component, other))
        for key in differences(*values):
            if _explains(key, diff):
                theirs = origin_of(fleet, component, other, key.at)
                ours = origin_of(fleet, component, first, key.at)
                layer = ours if theirs is None or (ours and ours.at == theirs.at) else theirs
                if layer is not None:
                    return f"values ({layer.name})", fleet.key_path((*layer.at, *key.at))
    return f"cluster {other}", fleet.where_cluster(other)


def _explains(key: Difference, diff: Difference) -> bool:
    """Does a difference of values show up in the rendered difference?"""
    if MISSING in (key.left, key.right, diff.left, diff.right):
        return False
    return _within(key.left, diff.left) and _within(key.right, diff.right)


def _within(value: object, rendered: object) -> bool:
    """`value` appears in `rendered` as a whole token (3 is not in 443)."""
    pattern = rf"(?<![\w.]){re.escape(_text(value))}(?![\w.])"
    return re.search(pattern, _text(rendered)) is not None


def _text(value: object) -> str:
    return value if isinstance(value, str) else shown(value)
