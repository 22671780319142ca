"""The lint memo's own pieces: the spec's positions split by owner, and its JSON form."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from mcgen.findings import Finding, Severity
from mcgen.fleet.load import load_fleet
from mcgen.lint.incremental import (
    ClusterMemo,
    LintMemo,
    context_key,
    memo_from_json,
    memo_keys,
    memo_to_json,
)
from mcgen.location import Location

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

SPEC = "fleets/bench.yaml"


def keys_and_context(repo: Path) -> tuple[dict[str, str], str]:
    fleet = load_fleet(str(repo / SPEC), str(repo))
    return memo_keys(fleet, dict.fromkeys(fleet.clusters, "k")), context_key(fleet, "x")


@pytest.fixture
def fleet_repo(tmp_path: Path) -> Path:
    write_fleet(tmp_path, 4, 2)
    return tmp_path


def test_a_moved_cluster_field_changes_that_clusters_key_only(fleet_repo: Path) -> None:
    keys, context = keys_and_context(fleet_repo)
    spec = fleet_repo / SPEC
    text = spec.read_text()
    assert "{name: c0001," in text
    spec.write_text(text.replace("{name: c0001,", "{name:  c0001,", 1))  # a column moves
    moved, same = keys_and_context(fleet_repo)
    assert same == context
    assert [c for c in keys if keys[c] != moved[c]] == ["c0001"]


def test_a_moved_field_outside_the_clusters_changes_the_context(fleet_repo: Path) -> None:
    _, context = keys_and_context(fleet_repo)
    spec = fleet_repo / SPEC
    text = spec.read_text()
    assert "metadata: {name: bench}" in text
    spec.write_text(text.replace("metadata: {name: bench}", "metadata: { name: bench}", 1))
    assert keys_and_context(fleet_repo)[1] != context


MEMO = LintMemo("ctx", (Finding("r", Severity.ERROR, "m", Location("f", 1, 2)),), {
    "a": ClusterMemo("key", "disk", "facts", ((0, "p", 4, 0, "c", "w", "1.0"),),
                     (Finding("r", Severity.WARNING, "n", Location("g", 3, 4),
                              (("see", Location("h", 5, 6)),), "t"),), 7)})


def test_the_memo_comes_back_as_it_was_written() -> None:
    assert memo_from_json(memo_to_json(MEMO)) == MEMO
    assert memo_from_json(memo_to_json(MEMO), "ctx") == MEMO
    assert memo_from_json(memo_to_json(MEMO), "another context") is None


@pytest.mark.parametrize("item", [[0, "p", 4, 0, "c", "w"], ["0", "p", 4, 0, "c", "w", "1"],
                                  [0, "p", True, 0, "c", "w", "1"], [0, "p", 4, 0, "c", "w", 1]])
def test_a_malformed_item_makes_the_memo_unusable(item: list[object]) -> None:
    body = json.loads(memo_to_json(MEMO))
    body["clusters"]["a"]["items"] = [item]
    assert memo_from_json(json.dumps(body)) is None
