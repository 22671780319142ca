"""A stable JSON document: `{"version": 1, "summary": {...}, "findings": [...]}`.

Each finding: rule, severity, message, location `{path, line, col}`, related places
`[{label, path, line, col}]` (template and fleet-spec lines) and target
(`<cluster>/<component>` or a file). A shard's report (`--shard K/N`) also has
`"pending"`: the facts `--merge` makes the findings of every shard from
(`mcgen.lint.pending`). Shards' reports merge by concatenating findings, then those.
"""

from __future__ import annotations

import json

from mcgen import __version__
from mcgen.findings import Severity
from mcgen.lint.engine import LintResult
from mcgen.lint.pending import finding_json, pending_json

FORMAT_VERSION = 1


def render(result: LintResult) -> str:
    counts = {str(s): sum(1 for f in result.findings if f.severity is s) for s in Severity}
    body = {
        "version": FORMAT_VERSION,
        "tool": {"name": "mcgen", "version": __version__},
        "summary": {"objects": result.objects, "rules": list(result.rules), **counts},
        "findings": [finding_json(f) for f in result.findings],
    }
    if result.pending:  # a shard's: what `--merge` makes its findings of
        body["pending"] = [pending_json(part) for part in result.pending]
    return json.dumps(body, indent=2, sort_keys=False) + "\n"
