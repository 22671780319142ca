"""Every rule case (`cases/*.yaml`) linted in shards, merged as CI merges them, equals
one lint of the whole fleet: same findings, word for word, with the same severities and
suppressions. A shard renders only its own clusters, so what compares clusters across
shards (rollout-order, secret-recipients' count) comes from the facts in its report."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from policyrepo import NOW, TODAY, render_repo, write_repo
from test_cases import _cases, _edit, _replaced

from mcgen.errors import InputError
from mcgen.lint import engine
from mcgen.lint import parts as lint_parts
from mcgen.lint.engine import LintRequest, LintResult, lint
from mcgen.lint.report import reporter
from mcgen.pipeline import load_fleets
from mcgen.shard import Report, merge, read_report

SHARDS = 3


def _lint(root: Path, case: dict[str, Any], suite: dict[str, Any],
          shard: tuple[int, int] | None) -> LintResult:
    specs = sorted(str(p) for p in (root / "fleets").glob("*.yaml"))
    select = tuple(case.get("select", suite.get("select", ())))
    now = datetime.datetime.fromisoformat(case["now"]) if "now" in case else NOW
    return lint(LintRequest(targets=tuple(specs), cwd=str(root), select=select, today=TODAY,
                            now=now, shard=shard, full=True))


def _in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`lint --full` of even a small fleet in parts of one cluster (`mcgen.lint.parts`)."""
    monkeypatch.setattr(lint_parts, "MIN_PART_CLUSTERS", 1)
    monkeypatch.setattr(lint_parts, "PART_CLUSTERS", 1)


def _as_report(result: LintResult, path: Path) -> Report:
    """The result through its JSON report, as a CI job hands it to the merge job."""
    path.write_text(reporter("json")(result))
    return read_report(str(path))


def _unsharded() -> list[Any]:
    return [case for case in _cases() if "base" not in case.values[1]]


@pytest.mark.parametrize(("suite", "case"), _unsharded())
def test_shards_merged_equal_one_run(tmp_path: Path, suite: dict[str, Any],
                                     case: dict[str, Any],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    fleet = _replaced(case, case.get("fleet", suite.get("fleet")), case.get("replace", []))
    write_repo(root, fleet, case.get("templates", suite.get("templates", {})),
               case.get("policies", suite.get("policies")))
    if case.get("render"):
        render_repo(root)
        _edit(root, case)
    try:
        whole = _lint(root, case, suite, None)
    except InputError:
        pytest.skip("the case is an input error: no shard lints it either")
    parts = [_as_report(_lint(root, case, suite, (k, SHARDS)), tmp_path / f"{k}.json")
             for k in range(1, SHARDS + 1)]
    for part in parts:  # what a shard reports alone is what one run reports
        assert set(part.findings) <= set(whole.findings)
    merged = merge(parts)
    assert merged.findings == list(whole.findings), "\n".join(map(str, whole.findings))
    assert merged.objects == whole.objects
    twice = merge([*parts, parts[0]])  # a report merged twice counts once
    assert twice.findings == merged.findings
    assert json.loads(reporter("json")(whole))["summary"]["error"] == sum(
        1 for f in merged.findings if f.severity.value == "error")
    _in_parts(monkeypatch)  # and a lint in parts, over the cores, as a large fleet's
    in_parts = _lint(root, case, suite, None)
    assert in_parts.findings == whole.findings and in_parts.objects == whole.objects
    [fleet] = load_fleets(sorted(str(p) for p in (root / "fleets").glob("*.yaml")))
    request = LintRequest(cwd=str(root), select=tuple(case.get("select", suite.get(
        "select", ()))), today=TODAY, now=NOW if "now" not in case else
        datetime.datetime.fromisoformat(case["now"]), full=True)
    done = engine._in_parts(request, engine._selected(request), fleet)
    never = any(f.message.startswith("the tree was never rendered") for f in whole.findings)
    assert (done is None) == never  # only a tree never rendered is linted whole
