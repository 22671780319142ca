"""Markdown for a pull-request comment: a verdict line, then a table per severity."""

from __future__ import annotations

from mcgen.findings import Severity
from mcgen.lint.engine import LintResult
from mcgen.lint.report.text import summary

ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "💬"}


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(result: LintResult) -> str:
    verdict = "❌ **mcgen lint failed**" if result.failed else "✅ **mcgen lint passed**"
    lines = [f"{verdict}: {summary(result)}", ""]
    for severity in Severity:
        found = [f for f in result.findings if f.severity is severity]
        if not found:
            continue
        lines += [f"### {ICONS[severity]} {str(severity).capitalize()}s ({len(found)})", "",
                  "| Rule | Location | Message | From |", "|---|---|---|---|"]
        for finding in found:
            origin = "<br>".join(f"{label}: `{place}`" for label, place in finding.related)
            lines.append(f"| `{finding.rule}` | `{cell(str(finding.location))}` | "
                         f"{cell(finding.message)} | {origin} |")
        lines.append("")
    return "\n".join(lines)
