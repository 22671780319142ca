"""The explicit list of rules. A new rule is a module here; a duplicate ID fails at import.

Each module is typed as a `Rule` (mcgen/lint/rule.py), so mypy checks it has what a rule
needs where it is listed.
"""

from __future__ import annotations

from mcgen.findings import Severity
from mcgen.lint.rule import Rule
from mcgen.lint.rules import (
    access_drift,
    access_escalation,
    access_residency,
    access_role_missing,
    cert_issuer_missing,
    cluster_admin_binding,
    custom_policy,
    dependency_unresolved,
    deprecated_api,
    duplicate_object,
    firewall_missing,
    image_tag,
    kustomize_missing_file,
    object_name,
    output_drift,
    output_stray_file,
    plaintext_secret,
    privileged_container,
    replica_blast_radius,
    replica_drift,
    replica_waves,
    residency_placement,
    residency_secret,
    residency_transfer,
    resource_limits,
    rollout_freeze,
    rollout_order,
    rollout_soak,
    schema,
    secret_recipients,
    template_unrendered_file,
    yaml_ambiguous,
)

RULE_MODULES: tuple[Rule, ...] = (
    output_drift,
    output_stray_file,
    kustomize_missing_file,
    template_unrendered_file,
    schema,
    deprecated_api,
    duplicate_object,
    replica_drift,
    replica_blast_radius,
    replica_waves,
    rollout_order,
    rollout_freeze,
    rollout_soak,
    residency_placement,
    residency_transfer,
    dependency_unresolved,
    firewall_missing,
    plaintext_secret,
    secret_recipients,
    residency_secret,
    cluster_admin_binding,
    access_residency,
    access_escalation,
    access_drift,
    access_role_missing,
    cert_issuer_missing,
    privileged_container,
    image_tag,
    object_name,
    resource_limits,
    yaml_ambiguous,
    custom_policy,
)

# IDs of findings the engine itself raises (suppressions); documented in this module.
ENGINE_RULES = {"suppression": Severity.ERROR}


def build_registry(modules: tuple[Rule, ...]) -> dict[str, Rule]:
    """The rules by ID; a duplicate ID, or a rule without a severity or docs, fails."""
    found: dict[str, Rule] = {}
    for module in modules:
        rule_id = module.ID
        if rule_id in found or rule_id in ENGINE_RULES:
            raise RuntimeError(f"duplicate rule ID {rule_id!r} in {module.__name__}")
        if not isinstance(module.SEVERITY, Severity) or not module.__doc__:
            raise RuntimeError(f"rule module {module.__name__} lacks SEVERITY or a docstring")
        found[rule_id] = module
    return found


RULES: dict[str, Rule] = build_registry(RULE_MODULES)


def documentation(rule_id: str) -> str | None:
    """A rule's documentation: its module docstring."""
    if rule_id == "suppression":
        from mcgen.lint import suppress

        return suppress.__doc__
    module = RULES.get(rule_id)
    return None if module is None else module.__doc__
