"""Every rule in the registry has a passing and a failing data case in `cases/*.yaml`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mcgen.lint import registry
from mcgen.lint.rules import custom_policy, image_tag

CASES = Path(__file__).parent / "cases"


def _owner(finding_rule: str) -> str:
    """The registry rule behind a finding: CEL policies report as `policy-<name>`."""
    if finding_rule not in registry.RULES and finding_rule.startswith(custom_policy.ID + "-"):
        return custom_policy.ID
    return finding_rule


def _coverage() -> tuple[set[str], set[str]]:
    passing: set[str] = set()
    failing: set[str] = set()
    for path in sorted(CASES.glob("*.yaml")):
        suite = yaml.safe_load(path.read_text())
        for case in suite["cases"]:
            selected = set(case.get("select", suite.get("select", ()))) or (
                set(registry.RULES) - {"output-drift"})
            found = {_owner(rule) for rule, *_ in case["expect"]}
            failing |= found
            passing |= selected - found
    return passing, failing


@pytest.mark.parametrize("rule_id", sorted(registry.RULES))
def test_rule_has_passing_and_failing_case(rule_id: str) -> None:
    passing, failing = _coverage()
    assert rule_id in passing, f"no case in {CASES} where {rule_id} runs and finds nothing"
    assert rule_id in failing, f"no case in {CASES} where {rule_id} finds something"


def test_duplicate_rule_id_fails() -> None:
    with pytest.raises(RuntimeError, match="duplicate rule ID 'image-tag'"):
        registry.build_registry((image_tag, image_tag))


def test_rule_without_docs_fails() -> None:
    class Undocumented:
        ID = "undocumented"
        SEVERITY = image_tag.SEVERITY
        __doc__ = None
        __name__ = "undocumented"
        check = image_tag.check

    with pytest.raises(RuntimeError, match="lacks SEVERITY or a docstring"):
        registry.build_registry((Undocumented(),))
