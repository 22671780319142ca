"""Markdown for a pull-request comment: a verdict line, then a table per severity."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcgen.collapse import clusters_text, collapse_findings
from mcgen.findings import Finding, Severity
from mcgen.lint.report.text import summary
from mcgen.location import one_line

if TYPE_CHECKING:  # the reporters need no lint engine loaded (mcgen access uses them)
    from mcgen.lint.engine import LintResult

ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "💬"}


# Messages quote pull-request text: in a comment the bot posts, it must not become a
# link, an image, HTML or an @mention.
_MARKUP = re.compile(r"([\\`*_\[\]<>!#~|&])")


def cell(text: str) -> str:
    escaped = _MARKUP.sub(r"\\\1", one_line(text))
    return escaped.replace("@", "&#64;")


def code(text: object) -> str:
    """`text` as a code span in a table cell (no markup is read inside one)."""
    return "`" + one_line(str(text)).replace("`", "'").replace("|", "\\|") + "`"


def render(result: LintResult) -> str:
    return "\n".join([verdict(result), "", *tables(result.findings)])


def verdict(result: LintResult) -> str:
    word = "❌ **mcgen lint failed**" if result.failed else "✅ **mcgen lint passed**"
    return f"{word}: {summary(result)}"


def tables(findings: Sequence[Finding], level: str = "###") -> list[str]:
    """A table per severity, errors first; one template line's finding on many clusters
    is one row."""
    lines: list[str] = []
    for severity in Severity:
        found = [f for f in findings if f.severity is severity]
        if not found:
            continue
        lines += [f"{level} {ICONS[severity]} {str(severity).capitalize()}s ({len(found)})", "",
                  "| Rule | Location | Message | From |", "|---|---|---|---|"]
        for shown in collapse_findings(found):
            finding = shown.finding
            origin = "<br>".join(f"{label}: {code(place)}" for label, place in finding.related)
            also = (f"<br>and the same on {cell(clusters_text(shown.also, other=True))}"
                    if shown.also else "")
            lines.append(f"| {code(finding.rule)} | {code(finding.location)} | "
                         f"{cell(finding.message)}{also} | {origin} |")
        lines.append("")
    return lines
