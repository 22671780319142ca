"""Read `policies/*.yaml`: every document becomes a compiled Policy, or a Problem."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from mcgen.errors import InputError
from mcgen.findings import Severity
from mcgen.location import Location, Problem
from mcgen.policies.expressions import Expression, ExpressionError, compile_expression
from mcgen.yaml.source import PathKey, SourceDocument, load_file

POLICY_API = "mcgen.dev/v1alpha1"
VAP_APIS = ("admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1")
POLICY_VARIABLES = frozenset({"object", "cluster", "component", "fleet"})
VAP_VARIABLES = frozenset({"object", "oldObject", "params", "request", "variables",
                           "namespaceObject"})
IGNORED_KINDS = ("ValidatingAdmissionPolicyBinding",)


class ResourceRule(NamedTuple):
    groups: tuple[str, ...]
    versions: tuple[str, ...]
    resources: tuple[str, ...]
    operations: tuple[str, ...]


@dataclass(frozen=True)
class Validation:
    expression: Expression
    message: str
    message_expression: Expression | None
    where: Location  # of the expression


@dataclass(frozen=True)
class Policy:
    """A mcgen Policy or a ValidatingAdmissionPolicy, compiled; findings use `rule_id`."""

    name: str
    admission: bool  # a ValidatingAdmissionPolicy
    severity: Severity
    where: Location
    validations: tuple[Validation, ...]
    kinds: tuple[str, ...] = ()
    clusters: Mapping[str, object] = field(default_factory=dict)
    rules: tuple[ResourceRule, ...] = ()
    excluded: tuple[ResourceRule, ...] = ()
    object_labels: Mapping[str, object] = field(default_factory=dict)
    variables: tuple[tuple[str, Expression], ...] = ()
    ignore_failures: bool = False

    @property
    def rule_id(self) -> str:
        return f"policy-{self.name}"


class PolicySet(NamedTuple):
    policies: tuple[Policy, ...]
    problems: tuple[Problem, ...]


def load_policies(root: str) -> PolicySet:
    """Every policy under `<root>/policies/`, and every problem found reading them."""
    policies: list[Policy] = []
    problems: list[Problem] = []
    for path in sorted(glob.glob(os.path.join(root, "policies", "*.y*ml"))):
        try:
            documents = load_file(path, os.path.relpath(path, root), root)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for document in documents:
            try:
                policy = _policy(document)
            except InputError as exc:
                problems.extend(exc.problems)
            else:
                policies.extend([policy] if policy else [])
    return PolicySet(tuple(policies), tuple(problems))


def _policy(doc: SourceDocument) -> Policy | None:
    body = _map(doc, (), doc.value)
    api, kind = body.get("apiVersion"), body.get("kind")
    if kind in IGNORED_KINDS or body == {}:
        return None
    if api == POLICY_API and kind == "Policy":
        return _mcgen_policy(doc, body)
    if api in VAP_APIS and kind == "ValidatingAdmissionPolicy":
        return _admission_policy(doc, body)
    raise InputError.at(doc.where(("kind",)), f"policies/ holds mcgen Policy ({POLICY_API}) "
                        f"and ValidatingAdmissionPolicy objects, not {api}/{kind}")


def _mcgen_policy(doc: SourceDocument, body: Mapping[str, object]) -> Policy:
    spec = _map(doc, ("spec",), body.get("spec"))
    match = _map(doc, ("spec", "match"), spec.get("match", {}))
    validate = _map(doc, ("spec", "validate"), spec.get("validate"))
    severity = spec.get("severity", "error")
    if severity not in ("error", "warning"):
        raise InputError.at(doc.where(("spec", "severity")),
                            f"severity must be error or warning, not {severity!r}")
    at: PathKey = ("spec", "validate")
    check = _validation(doc, at, validate, POLICY_VARIABLES)
    return Policy(_name(doc, body), False, Severity(str(severity)), doc.where(("metadata",)),
                  (check,), kinds=_strings(doc, ("spec", "match", "kinds"), match.get("kinds")),
                  clusters=_map(doc, ("spec", "match", "clusters"), match.get("clusters", {})))


def _admission_policy(doc: SourceDocument, body: Mapping[str, object]) -> Policy:
    spec = _map(doc, ("spec",), body.get("spec"))
    constraints = _map(doc, ("spec", "matchConstraints"), spec.get("matchConstraints", {}))
    selector = _map(doc, ("spec", "matchConstraints", "objectSelector"),
                    constraints.get("objectSelector", {}))
    names = VAP_VARIABLES
    variables = []
    for index, raw in enumerate(_list(doc, ("spec", "variables"), spec.get("variables"))):
        item = _map(doc, ("spec", "variables", index), raw)
        at: PathKey = ("spec", "variables", index, "expression")
        variables.append((str(item.get("name")), _compile(doc, at, item.get("expression"), names)))
    checks = tuple(
        _validation(doc, ("spec", "validations", index),
                    _map(doc, ("spec", "validations", index), raw), names)
        for index, raw in enumerate(_list(doc, ("spec", "validations"), spec.get("validations"))))
    return Policy(
        _name(doc, body), True, Severity.ERROR, doc.where(("metadata",)), checks,
        rules=tuple(_rules(doc, ("spec", "matchConstraints", "resourceRules"), constraints)),
        excluded=tuple(_rules(doc, ("spec", "matchConstraints", "excludeResourceRules"),
                              constraints)),
        object_labels=_map(doc, (), selector.get("matchLabels", {})),
        variables=tuple(variables), ignore_failures=spec.get("failurePolicy") == "Ignore")


def _validation(doc: SourceDocument, at: PathKey, raw: Mapping[str, object],
                names: frozenset[str]) -> Validation:
    expression = _compile(doc, (*at, "expression"), raw.get("expression"), names)
    text = raw.get("messageExpression")
    message_expression = None if text is None else _compile(
        doc, (*at, "messageExpression"), text, names)
    message = str(raw.get("message") or f"failed: {expression.text}")
    return Validation(expression, message, message_expression, doc.where((*at, "expression")))


def _compile(doc: SourceDocument, at: PathKey, text: object, names: frozenset[str]
             ) -> Expression:
    if not isinstance(text, str) or not text.strip():
        raise InputError.at(doc.where(at), f"{'.'.join(map(str, at))}: a CEL expression "
                            "(a non-empty string) is required")
    try:
        return compile_expression(text, names)
    except ExpressionError as exc:
        where = doc.where(at)
        if exc.line > 1:  # a block scalar: the expression starts on the next line
            where = where._replace(line=where.line + exc.line)
        suffix = f" (expression line {exc.line}, column {exc.column})" if exc.line else ""
        raise InputError.at(where, f"{exc}{suffix}") from exc


def _rules(doc: SourceDocument, at: PathKey, constraints: Mapping[str, object]
           ) -> Iterator[ResourceRule]:
    for index, raw in enumerate(_list(doc, at, constraints.get(str(at[-1])))):
        item = _map(doc, (*at, index), raw)
        yield ResourceRule(*(
            _strings(doc, (*at, index, key), item.get(key, default))
            for key, default in (("apiGroups", ["*"]), ("apiVersions", ["*"]),
                                 ("resources", []), ("operations", ["*"]))))


def _name(doc: SourceDocument, body: Mapping[str, object]) -> str:
    name = _map(doc, ("metadata",), body.get("metadata")).get("name")
    if not isinstance(name, str) or not name:
        raise InputError.at(doc.where(("metadata",)), "a policy needs metadata.name")
    return name


def _map(doc: SourceDocument, at: PathKey, value: object) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise InputError.at(doc.where(at), f"{'.'.join(map(str, at)) or 'document'} must be "
                            "a mapping")
    return value


def _list(doc: SourceDocument, at: PathKey, value: object) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError.at(doc.where(at), f"{'.'.join(map(str, at))} must be a list")
    return value


def _strings(doc: SourceDocument, at: PathKey, value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in _list(doc, at, value))
