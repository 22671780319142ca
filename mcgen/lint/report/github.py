"""GitHub Actions workflow commands: annotations on the pull request's files.

`::error file=PATH,line=L,col=C,title=RULE::MESSAGE` (warning and notice alike), with
GitHub's escaping: `%`, CR and LF in the message; also `:` and `,` in properties. The
template and fleet-spec lines behind a finding follow the message on their own lines.
"""

from __future__ import annotations

from mcgen.collapse import clusters_text, collapse_findings
from mcgen.findings import Finding, Severity
from mcgen.lint.engine import LintResult
from mcgen.lint.report.text import summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, also: tuple[str, ...] = ()) -> str:
    where = finding.location
    properties = [f"file={escape_property(where.path)}"]
    if where.line:
        properties += [f"line={where.line}", f"col={max(where.col, 1)}"]
    properties.append(f"title={escape_property(finding.rule)}")
    message = finding.message + "".join(f"\n{label}: {place}" for label, place in finding.related)
    if also:
        message += f"\nand the same on {clusters_text(also, other=True)}"
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render(result: LintResult) -> str:
    shown = collapse_findings(result.findings)
    return "".join(annotation(s.finding, s.also) + "\n" for s in shown) + summary(result) + "\n"
