"""SARIF 2.1.0, as GitHub code scanning accepts it.

Rules carry their documentation (the rule module's docstring) as help text; results carry
a region (1-based line and column) in the rendered file, and related locations for the
template line and fleet-spec line behind it. Paths are repository-relative URIs under
`%SRCROOT%`. A stable partial fingerprint (rule, target, message) lets code scanning
track a finding across commits even when lines move.
"""

from __future__ import annotations

import hashlib
import json

from mcgen import __version__
from mcgen.findings import Finding, Severity
from mcgen.lint.engine import LintResult
from mcgen.lint.registry import documentation
from mcgen.location import Location

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _physical(location: Location) -> dict[str, object]:
    return {
        "artifactLocation": {"uri": location.path, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": max(location.line, 1), "startColumn": max(location.col, 1)},
    }


def _rule(rule_id: str, level: str) -> dict[str, object]:
    doc = (documentation(rule_id) or rule_id).strip()
    title = doc.splitlines()[0].split(":", 1)[-1].strip()
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")),
        "shortDescription": {"text": title},
        "fullDescription": {"text": title},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": level},
        "helpUri": f"https://mcgen.dev/rules/{rule_id}",
    }


def _result(finding: Finding, index: int) -> dict[str, object]:
    key = f"{finding.rule}\0{finding.target}\0{finding.message}".encode()
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": _physical(finding.location)}],
        "relatedLocations": [
            {"id": number, "message": {"text": label}, "physicalLocation": _physical(where)}
            for number, (label, where) in enumerate(finding.related, start=1)
        ],
        "partialFingerprints": {"mcgenFinding/v1": hashlib.sha256(key).hexdigest()[:32]},
    }


def render(result: LintResult) -> str:
    rule_ids = sorted({*result.rules, *(f.rule for f in result.findings)})
    levels = {f.rule: LEVELS[f.severity] for f in reversed(result.findings)}
    rules = [_rule(rule_id, levels.get(rule_id, "error")) for rule_id in rule_ids]
    index = {rule_id: number for number, rule_id in enumerate(rule_ids)}
    run = {
        "tool": {"driver": {"name": "mcgen", "version": __version__,
                            "informationUri": "https://mcgen.dev", "rules": rules}},
        "results": [_result(f, index[f.rule]) for f in result.findings],
        "columnKind": "unicodeCodePoints",
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
