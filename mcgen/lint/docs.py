"""The rules reference, made from the rule docstrings: `python -m mcgen.lint.docs`."""

from __future__ import annotations

import sys

from mcgen.lint.registry import ENGINE_RULES, RULES, documentation


def rules_reference() -> str:
    ids = sorted([*RULES, *ENGINE_RULES])
    lines = [
        "# Rules reference",
        "",
        "Generated from the rule modules by `python -m mcgen.lint.docs > docs/rules.md`;",
        "`mcgen rules --explain ID` prints the same text. Severities can be changed per",
        "fleet with `spec.lint.rules: {<id>: {severity: error|warning|off}}`.",
        "",
        "| rule | default severity |",
        "|---|---|",
    ]
    for rule_id in ids:
        severity = RULES[rule_id].SEVERITY if rule_id in RULES else ENGINE_RULES[rule_id]
        lines.append(f"| [`{rule_id}`](#{rule_id}) | {severity} |")
    for rule_id in ids:
        lines += ["", f"## {rule_id}", "", (documentation(rule_id) or "").strip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(rules_reference())
