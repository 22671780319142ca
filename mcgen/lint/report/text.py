"""`path:line:col: severity: message [rule]`, then the places behind it, then a summary.

One template line's finding on many clusters is printed once, with the other clusters
counted and the first few named (`mcgen.collapse`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mcgen.collapse import collapse_findings
from mcgen.findings import Severity

if TYPE_CHECKING:  # the reporters need no lint engine loaded (mcgen access uses them)
    from mcgen.lint.engine import LintResult


def render(result: LintResult) -> str:
    lines = [str(shown) for shown in collapse_findings(result.findings)]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: LintResult) -> str:
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    text = (f"{result.objects} objects checked by {len(result.rules)} rules: "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if any(part.running or part.counted for part in result.pending):
        text += ("\n(a shard: rollout-order and secret-recipients' count compare every "
                 "shard's clusters; `--format json` reports carry them to `mcgen lint --merge`)")
    return text
