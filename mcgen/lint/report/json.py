"""A stable JSON document: `{"version": 1, "summary": {...}, "findings": [...]}`.

Each finding: rule, severity, message, location `{path, line, col}`, related places
`[{label, path, line, col}]` (template and fleet-spec lines) and target
(`<cluster>/<component>` or a file). Shards' reports merge by concatenating findings.
"""

from __future__ import annotations

import json

from mcgen import __version__
from mcgen.findings import Finding, Severity
from mcgen.lint.engine import LintResult
from mcgen.location import Location

FORMAT_VERSION = 1


def place(location: Location) -> dict[str, object]:
    return {"path": location.path, "line": location.line, "col": location.col}


def finding_json(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "location": place(finding.location),
        "related": [{"label": label, **place(where)} for label, where in finding.related],
        "target": finding.target,
    }


def render(result: LintResult) -> str:
    counts = {str(s): sum(1 for f in result.findings if f.severity is s) for s in Severity}
    body = {
        "version": FORMAT_VERSION,
        "tool": {"name": "mcgen", "version": __version__},
        "summary": {"objects": result.objects, "rules": list(result.rules), **counts},
        "findings": [finding_json(f) for f in result.findings],
    }
    return json.dumps(body, indent=2, sort_keys=False) + "\n"
