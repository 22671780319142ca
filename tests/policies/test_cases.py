"""Rule cases as data: `cases/*.yaml`, each case a fleet, templates and expected findings.

An expected finding is `[rule, path, line]`, optionally followed by its severity, a
fragment of its message and the related places it must name (`[label, path, line]`s): a
rule whose error turned into a warning, whose message lost the offending value, or that
stopped pointing at the fleet line to fix, fails its case.

Every finding of every case is also compared whole (rule, place, severity, message,
related places and target: what `spec.lint.ignore` matches and `--format json` reports)
with `golden/<suite>.json`, so no word of a message can change unnoticed.
After changing a message on purpose: `MCGEN_UPDATE_GOLDEN=1 .venv/bin/pytest
tests/policies/test_cases.py`, then read the diff of `golden/` before committing it.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from policyrepo import NOW, lint_repo, positions, pull_request, render_repo, write_repo

from mcgen.findings import Finding

CASES = Path(__file__).parent / "cases"
GOLDEN = Path(__file__).parent / "golden"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for case in data["cases"]:
            data["_path"] = path.stem
            found.append(pytest.param(data, case, id=f"{path.stem}/{case['name']}"))
    return found


def _replaced(case: dict[str, Any], fleet: str, replacements: list[list[str]]) -> str:
    for old, new in replacements:
        assert old in fleet, f"case {case['name']}: {old!r} is not in the fleet"
        fleet = fleet.replace(old, new)
    return fleet


def _edit(root: Path, case: dict[str, Any]) -> None:
    for path in case.get("removes", []):
        (root / path).unlink()
    for path, text in case.get("adds", []):  # files put into the rendered tree by hand
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
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
        if len(more) > 2:
            places = [[[label, at.path, at.line] for label, at in f.related] for f in found]
            assert any(all(p in named for p in more[2]) for named in places), places
    _compare_golden(suite["_path"], case["name"], findings)


def _whole(finding: Finding) -> list[object]:
    return [finding.rule, finding.location.path, finding.location.line, finding.location.col,
            finding.severity.value, finding.message,
            [[label, at.path, at.line, at.col] for label, at in finding.related], finding.target]


def _compare_golden(suite: str, name: str, findings: list[Finding]) -> None:
    path = GOLDEN / f"{suite}.json"
    whole = sorted((_whole(f) for f in findings), key=json.dumps)
    if os.environ.get("MCGEN_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        known = json.loads(path.read_text()) if path.exists() else {}
        known[name] = whole
        path.write_text(_dumps(known))
        return
    known = json.loads(path.read_text()) if path.exists() else {}
    assert name in known, f"{path.name} has no findings for {name}: set MCGEN_UPDATE_GOLDEN=1"
    assert whole == known[name], "\n".join(map(str, findings))


def _dumps(known: dict[str, list[list[object]]]) -> str:
    """One finding a line, so a changed message is a one-line diff."""
    cases = [f"  {json.dumps(name)}: [" + ",".join(
        "\n    " + json.dumps(f, ensure_ascii=False) for f in found) + ("\n  ]" if found else "]")
             for name, found in sorted(known.items())]
    return "{\n" + ",\n".join(cases) + "\n}\n"
