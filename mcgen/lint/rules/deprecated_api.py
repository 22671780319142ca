"""deprecated-api: an apiVersion removed (error) or deprecated (warning) in the cluster's version.

Each object's apiVersion is checked against the Kubernetes version of the cluster it is
rendered for (the fleet's `kubernetesVersion`; `--kubernetes-version` for plain
manifests). A removed API is an error: the API server rejects the object, and Argo CD or
Flux stops syncing the component. A deprecated API is a warning with its removal release.
The message names the apiVersion to move to. Replicas on different Kubernetes versions
can differ here: an upgrade of one cluster is exactly when this rule matters.

Custom resources count too: a version a CRD marks `deprecated: true` is a warning, one it
no longer serves (`served: false`) is an error (e.g. Flux's `HelmRelease` v2beta2 once the
installed CRDs dropped it).

Example finding:

    clusters/eu-west/accounts/poddisruptionbudget-accounts.yaml:4:1: error:
    policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 and eu-west runs
    1.30; use policy/v1 [deprecated-api]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.apiversions import lifecycle, minor
from mcgen.lint.rules.schema import validator_for
from mcgen.lint.subject import LintObject, Subject
from mcgen.schemas.crd import CrdSchema

ID = "deprecated-api"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    crds = validator_for(subject).crds
    for obj in subject.objects:
        found = _core(subject, obj)
        crd = crds.get((obj.ref.api_version, obj.ref.kind))
        yield from found if found else (_custom(subject, obj, crd, crds) if crd else ())


def _runs(obj: LintObject) -> str:
    where = obj.cluster or "the target cluster"
    return f"{where} runs {obj.kubernetes_version}"


def _core(subject: Subject, obj: LintObject) -> list[Finding]:
    entry = lifecycle(obj.ref.api_version, obj.ref.kind)
    if entry is None:
        return []
    version = minor(obj.kubernetes_version)
    what = f"{obj.ref.api_version} {obj.ref.kind}"
    if version >= minor(entry.removed):
        message = (f"{what} was removed in Kubernetes {entry.removed} and {_runs(obj)}; "
                   f"use {entry.replacement}")
        return [subject.finding(_RULE, obj, message, ("apiVersion",), Severity.ERROR)]
    if version >= minor(entry.deprecated):
        message = (f"{what} is deprecated since Kubernetes {entry.deprecated} and removed in "
                   f"{entry.removed} ({_runs(obj)}); move to {entry.replacement}")
        return [subject.finding(_RULE, obj, message, ("apiVersion",), Severity.WARNING)]
    return []


def _custom(subject: Subject, obj: LintObject, crd: CrdSchema,
            crds: dict[tuple[str, str], CrdSchema]) -> Iterator[Finding]:
    better = sorted(v.api_version for v in crds.values()
                    if v.kind == crd.kind and v.group == crd.group and v.served
                    and not v.deprecated and v.version != crd.version)
    instead = f"; use {better[-1]}" if better else ""
    what = f"{obj.ref.api_version} {obj.ref.kind}"
    if not crd.served:
        yield subject.finding(_RULE, obj, f"{what} is no longer served by its CRD{instead}",
                              ("apiVersion",), Severity.ERROR)
    elif crd.deprecated:
        yield subject.finding(_RULE, obj, f"{what} is deprecated by its CRD{instead}",
                              ("apiVersion",), Severity.WARNING)
