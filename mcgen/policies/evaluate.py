"""Run a policy's checks on one object: the variables CEL sees, and the verdicts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from mcgen.objects import ObjectRef
from mcgen.policies.expressions import ExpressionError, Scope
from mcgen.policies.load import Policy, Validation
from mcgen.policies.match import resource_of


class Violation(NamedTuple):
    validation: Validation
    message: str


def violations(policy: Policy, env: Mapping[str, object]) -> Iterator[Violation]:
    """Each failed check; an expression that cannot be evaluated fails (failurePolicy
    Fail), unless a ValidatingAdmissionPolicy says `failurePolicy: Ignore`."""
    scope = Scope(env, _names(policy))
    try:
        if policy.admission:
            scope.set("variables", _variables(policy, scope))
    except ExpressionError as exc:
        if not policy.ignore_failures:
            yield Violation(policy.validations[0], f"cannot evaluate its variables: {exc}")
        return
    for check in policy.validations:
        try:
            result = scope.evaluate(check.expression)
        except ExpressionError as exc:
            if not policy.ignore_failures:
                yield Violation(check, f"cannot evaluate {check.expression.text!r}: {exc}")
            continue
        if result is not True:
            yield Violation(check, _message(check, scope, result))


def _names(policy: Policy) -> frozenset[str]:
    """Every variable some expression of `policy` reads."""
    expressions = [e for _, e in policy.variables]
    for check in policy.validations:
        expressions.append(check.expression)
        if check.message_expression is not None:
            expressions.append(check.message_expression)
    return frozenset().union(*(e.names for e in expressions))


def _variables(policy: Policy, scope: Scope) -> dict[str, object]:
    """`spec.variables` in order; each sees the ones before it."""
    values: dict[str, object] = {}
    for name, expression in policy.variables:
        scope.set("variables", values)
        values[name] = scope.evaluate(expression)
    return values


def _message(check: Validation, scope: Scope, result: object) -> str:
    if not isinstance(result, bool):
        return f"{check.expression.text!r} returned {result!r}, not a bool"
    if check.message_expression is not None:
        try:
            text = scope.evaluate(check.message_expression)
        except ExpressionError:
            return check.message
        if isinstance(text, str) and text.strip():
            return text
    return check.message


def admission_env(body: Mapping[str, object], ref: ObjectRef) -> dict[str, object]:
    """What a ValidatingAdmissionPolicy sees for a CREATE of `body`, offline."""
    version = ref.api_version.rpartition("/")[2]
    return {
        "object": body, "oldObject": None, "params": None, "namespaceObject": None,
        "request": {
            "operation": "CREATE", "name": ref.name, "namespace": ref.namespace,
            "kind": {"group": ref.group, "version": version, "kind": ref.kind},
            "resource": {"group": ref.group, "version": version,
                         "resource": resource_of(ref.kind)},
            "userInfo": {"username": "mcgen", "groups": []}, "dryRun": True,
        },
    }
