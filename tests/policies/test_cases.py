"""Rule cases as data: `cases/*.yaml`, each case a fleet, templates and expected findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from policyrepo import lint_repo, positions, write_repo

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for case in data["cases"]:
            found.append(pytest.param(data, case, id=f"{path.stem}/{case['name']}"))
    return found


@pytest.mark.parametrize(("suite", "case"), _cases())
def test_case(tmp_path: Path, suite: dict[str, Any], case: dict[str, Any]) -> None:
    fleet = case.get("fleet", suite.get("fleet"))
    for old, new in case.get("replace", []):
        assert old in fleet, f"case {case['name']}: {old!r} is not in the fleet"
        fleet = fleet.replace(old, new)
    templates = case.get("templates", suite.get("templates", {}))
    write_repo(tmp_path, fleet, templates, case.get("policies", suite.get("policies")))
    select = tuple(case.get("select", suite.get("select", ())))
    findings = lint_repo(tmp_path, select)
    assert positions(findings) == sorted(case["expect"]), "\n".join(map(str, findings))
