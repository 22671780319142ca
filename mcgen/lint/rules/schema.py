"""schema: an object that fails the JSON schema of its cluster's Kubernetes version.

Every object is validated against the schema of the Kubernetes version of the cluster it
is rendered for (`kubernetesVersion` in the fleet; `--kubernetes-version` for plain
manifests), from the schemas shipped offline for Kubernetes 1.25-1.37. A cluster whose
version is outside that range is validated against the nearest one, with a warning at its
`kubernetesVersion` line saying so. Custom resources are validated against the CRDs named
in `spec.lint.crds`, given with `mcgen lint --crd`, or rendered by the fleet itself. The
kinds mcgen generates (Flux Kustomization, GitRepository, HelmRepository and HelmRelease;
Argo CD Application, ApplicationSet and AppProject) need no CRD: mcgen ships their schemas
(a CRD given for the same apiVersion and kind wins; docs/fleet-spec.md lists the subtrees
they leave open). An
object of a built-in API its cluster no longer serves has no schema there: it gets the
`deprecated-api` error alone (with the API to move to), not also a missing-schema finding.

Validation is strict by default: a field the schema does not know is an error (the API
server would drop it silently, so a misspelt `replica:` never takes effect), and so is a
key given twice (refused when the YAML is read). Set
`spec.lint.rules: {schema: {strict: false}}` to allow unknown fields.

An object with no schema at all (a custom resource whose CRD was not given) is a finding
too, since nothing checked it: add its CRD to `spec.lint.crds`, or suppress with a reason.

Example finding:

    clusters/us-east/storefront/service-storefront.yaml:19:11: error: Service
    shop/storefront at spec.ports[0].port: "http" is not of type "integer"
    (Kubernetes 1.31) [schema]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from mcgen.errors import InputError
from mcgen.findings import Finding, Severity
from mcgen.lint.apiversions import lifecycle, minor
from mcgen.lint.subject import LintObject, Subject
from mcgen.schemas.kubernetes import available_versions, supported_version
from mcgen.schemas.validate import SchemaValidator
from mcgen.sops.metadata import without_metadata

ID = "schema"
SEVERITY = Severity.ERROR
MAX_PER_OBJECT = 20
_RULE = sys.modules[__name__]


def validator_for(subject: Subject) -> SchemaValidator:
    """The run's validator, with the fleet's, the command line's and rendered CRDs."""
    cached = subject.memo.get(ID)
    if isinstance(cached, SchemaValidator):
        return cached
    fleet = subject.fleet
    validator = SchemaValidator(strict=_strict(subject))
    problems = []
    if fleet is not None:
        problems += validator.add_crd_paths([os.path.join(fleet.root, p) for p in fleet.crds],
                                            fleet.root)
    problems += validator.add_crd_paths(subject.extra_crds)
    if problems:  # a CRD that cannot be read would leave its objects unchecked
        raise InputError(problems)
    for obj in subject.objects:
        validator.add_crd(obj.body)
    subject.memo[ID] = validator
    return validator


def _strict(subject: Subject) -> bool:
    """`spec.lint.rules.schema.strict`, true unless the fleet turns it off."""
    node: object = subject.fleet.source.value if subject.fleet else {}
    for key in ("spec", "lint", "rules", ID, "strict"):
        node = node.get(key) if isinstance(node, dict) else None
    return node is not False


def check(subject: Subject) -> Iterator[Finding]:
    validator = validator_for(subject)
    yield from _unbundled_versions(subject)
    for obj in subject.objects:
        # A SOPS document's `sops:` key never reaches the API server: the controller
        # decrypts the document and drops it.
        outcome = validator.validate(without_metadata(obj.body), obj.kubernetes_version)
        if outcome.status == "missing" and _removed(obj):
            continue  # deprecated-api says so, with the replacement to use
        if outcome.status == "missing":
            yield subject.finding(
                _RULE, obj, f"no schema for {obj.ref.api_version} {obj.ref.kind} in "
                f"{outcome.source} or the CRDs given: nothing validates it; add its CRD to "
                "spec.lint.crds (or pass --crd)", ("apiVersion",))
            continue
        for violation in outcome.violations[:MAX_PER_OBJECT]:
            where = _dotted(violation.path)
            yield subject.finding(
                _RULE, obj, f"{obj.ref}{' at ' + where if where else ''}: "
                f"{violation.message} ({outcome.source})", violation.path)


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _removed(obj: LintObject) -> bool:
    """A built-in API the object's cluster no longer serves (a deprecated-api error)."""
    entry = lifecycle(obj.ref.api_version, obj.ref.kind)
    return entry is not None and minor(obj.kubernetes_version) >= minor(entry.removed)


def _unbundled_versions(subject: Subject) -> Iterator[Finding]:
    """A warning on each cluster whose version has no bundled schemas of its own."""
    fleet = subject.fleet
    if fleet is None:
        return
    bundled = available_versions()
    for cluster in fleet.clusters.values():
        wanted = ".".join(cluster.kubernetes_version.split(".")[:2])
        if wanted in bundled or (subject.shard and cluster.name not in subject.shard[0]):
            continue
        used = supported_version(cluster.kubernetes_version)
        yield subject.fleet_finding(
            _RULE, f"cluster {cluster.name} runs Kubernetes {cluster.kubernetes_version}, "
            f"outside the bundled schemas ({bundled[0]}-{bundled[-1]}): its objects are "
            f"validated against {used}'s; upgrade mcgen (kubernetes-validate) for its own",
            fleet.where("spec", "clusters", cluster.index, "kubernetesVersion"),
            cluster.name, Severity.WARNING)
