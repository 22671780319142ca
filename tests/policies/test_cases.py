"""Rule cases as data: `cases/*.yaml`, each case a fleet, templates and expected findings.

An expected finding is `[rule, path, line]`, optionally followed by its severity and a
fragment of its message: a rule whose error turned into a warning, or whose message lost
the offending value, fails its case.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from policyrepo import NOW, lint_repo, positions, pull_request, render_repo, write_repo

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for case in data["cases"]:
            found.append(pytest.param(data, case, id=f"{path.stem}/{case['name']}"))
    return found


def _replaced(case: dict[str, Any], fleet: str, replacements: list[list[str]]) -> str:
    for old, new in replacements:
        assert old in fleet, f"case {case['name']}: {old!r} is not in the fleet"
        fleet = fleet.replace(old, new)
    return fleet


def _edit(root: Path, case: dict[str, Any]) -> None:
    for path, old, new in case.get("edits", []):
        text = (root / path).read_text()
        assert old in text, f"case {case['name']}: {old!r} is not in {path}"
        (root / path).write_text(text.replace(old, new))


@pytest.mark.parametrize(("suite", "case"), _cases())
def test_case(tmp_path: Path, suite: dict[str, Any], case: dict[str, Any]) -> None:
    fleet = _replaced(case, case.get("fleet", suite.get("fleet")), case.get("replace", []))
    templates = case.get("templates", suite.get("templates", {}))
    now = datetime.datetime.fromisoformat(case["now"]) if "now" in case else NOW
    changes = None
    if "base" in case:
        base = _replaced(case, fleet, case["base"])
        commits = [(base, case.get("base_at")), (fleet, None)]
        if "earlier" in case:
            commits.insert(0, (_replaced(case, base, case["earlier"]), case["earlier_at"]))
        changes = pull_request(tmp_path, commits, templates, now)
    write_repo(tmp_path, fleet, templates, case.get("policies", suite.get("policies")))
    if case.get("render"):
        render_repo(tmp_path)
        _edit(tmp_path, case)
    select = tuple(case.get("select", suite.get("select", ())))
    findings = lint_repo(tmp_path, select, changes, now)
    expected = case["expect"]
    assert positions(findings) == sorted(e[:3] for e in expected), "\n".join(map(str, findings))
    for rule, path, line, *more in expected:
        found = [f for f in findings if [f.rule, f.location.path, f.location.line] ==
                 [rule, path, line]]
        if more:  # [severity, a fragment of the message]
            assert any(f.severity.value == more[0] for f in found), found
        if len(more) > 1:
            assert any(more[1] in f.message for f in found), [f.message for f in found]
