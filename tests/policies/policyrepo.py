"""Build a throw-away fleet repository from a case and lint it."""

from __future__ import annotations

import datetime
from pathlib import Path

from mcgen.findings import Finding
from mcgen.lint.engine import LintRequest, lint

TODAY = datetime.date(2026, 1, 1)


def write_repo(root: Path, fleet: str, templates: dict[str, dict[str, str]],
               policies: dict[str, str] | None = None) -> Path:
    spec = root / "fleets" / "test.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(fleet)
    for template, files in templates.items():
        folder = root / "templates" / template
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text)
    for name, text in (policies or {}).items():
        (root / "policies").mkdir(exist_ok=True)
        (root / "policies" / name).write_text(text)
    return spec


def lint_repo(root: Path, select: tuple[str, ...] = ()) -> list[Finding]:
    specs = sorted(str(p) for p in (root / "fleets").glob("*.yaml"))
    disable = () if select else ("output-drift",)
    result = lint(LintRequest(targets=tuple(specs), cwd=str(root), select=select,
                              disable=disable, today=TODAY))
    return list(result.findings)


def positions(findings: list[Finding]) -> list[list[object]]:
    return sorted([f.rule, f.location.path, f.location.line] for f in findings)


