"""schema: an object that fails the JSON schema of its cluster's Kubernetes version.

Every object is validated against the schema of the Kubernetes version of the cluster it
is rendered for (`kubernetesVersion` in the fleet; `--kubernetes-version` for plain
manifests), from the schemas shipped offline for Kubernetes 1.25-1.37 (a version outside
that range uses the nearest one). Custom resources are validated against the CRDs named
in `spec.lint.crds`, given with `mcgen lint --crd`, or rendered by the fleet itself.

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
from mcgen.lint.subject import Subject
from mcgen.schemas.validate import SchemaValidator

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
    for obj in subject.objects:
        outcome = validator.validate(obj.body, obj.kubernetes_version)
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
