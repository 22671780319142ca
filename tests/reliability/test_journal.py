"""The journal of an interrupted render: every command replays it, and only a real one.

Found in review: `mcgen lint` and the no-op fast path of `render --check` read the tree
without replaying a pending journal (so they judged a half-applied tree), and a journal
was trusted as written: without `.git` it lives in `.mcgen/` in the work tree, where a
committed one could move or delete files anywhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

from mcgen.output import transaction

JOURNAL = Path(".mcgen/journal.json")


def set_replicas(repo: Path, old: str, new: str) -> None:
    spec = repo / "fleets" / "acme.yaml"
    spec.write_text(spec.read_text().replace(f"replicas: {old}", f"replicas: {new}"))


def die_after_commit(repo: Path, monkeypatch: pytest.MonkeyPatch, after_moves: int) -> None:
    """Run a render that is killed after its commit point, `after_moves` files in."""
    real_replace = os.replace
    moves = {"count": 0}

    def dying_replace(source: str, target: str) -> None:
        if "staging-" in str(source):
            if moves["count"] == after_moves:
                raise KeyboardInterrupt
            moves["count"] += 1
        real_replace(source, target)

    monkeypatch.setattr(transaction.os, "replace", dying_replace)
    assert run_cli("render", cwd=repo).code == 130
    monkeypatch.undo()
    assert (repo / JOURNAL).exists()


def test_lint_replays_a_pending_journal_before_judging_the_tree(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_replicas(example_repo, "3", "5")
    die_after_commit(example_repo, monkeypatch, after_moves=1)
    result = run_cli("lint", "--select", "output-drift", cwd=example_repo)
    assert result.code == 0, result.out
    assert not (example_repo / JOURNAL).exists()


def test_the_fast_no_op_check_replays_a_pending_journal(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli("render", cwd=example_repo).code == 0  # remembers the inputs
    set_replicas(example_repo, "3", "5")
    die_after_commit(example_repo, monkeypatch, after_moves=0)
    set_replicas(example_repo, "5", "3")  # inputs as remembered, files untouched so far
    result = run_cli("render", "--check", "--no-diff", cwd=example_repo)
    assert not (example_repo / JOURNAL).exists()
    assert result.code == 1  # the replayed tree is the one with 5 replicas: drift


def planted(repo: Path, body: object, victim: Path) -> dict[str, bytes]:
    text = body if isinstance(body, str) else json.dumps(body)
    (repo / ".mcgen").mkdir(exist_ok=True)
    (repo / JOURNAL).write_text(text.replace("VICTIM", str(victim)))
    return snapshot(repo)


@pytest.mark.parametrize("body", [
    {"moves": [], "deletes": ["VICTIM"]},
    {"moves": [], "deletes": ["../victim"]},
    {"moves": [], "deletes": ["clusters/../../victim"]},
    {"moves": [["VICTIM", "clusters/x.yaml"]], "deletes": []},
    {"moves": [[".mcgen/staging-1/0", "../victim"]], "deletes": []},
    {"moves": [["x"]], "deletes": []},
    {"moves": "all", "deletes": []},
    {"deletes": []},
    "{not json",
    [],
])
def test_a_planted_or_corrupt_journal_is_refused(example_repo: Path, body: object) -> None:
    victim = example_repo.parent / "victim"
    victim.write_text("keep me\n")
    before = planted(example_repo, body, victim)
    for command in (["render"], ["render", "--check"], ["lint"]):
        result = run_cli(*command, cwd=example_repo)
        assert result.code == 2, result.err
        assert "journal.json" in result.err and "delete it" in result.err
    assert snapshot(example_repo) == before
    assert victim.read_text() == "keep me\n"

