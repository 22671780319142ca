"""Golden trees: each case's fleet renders to exactly its committed `expected/` tree."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "render"
CASES = sorted(p.stem for p in (FIXTURES / "cases").glob("*.yaml"))


def render_case(case: str, repo: Path) -> dict[str, bytes]:
    shutil.copytree(FIXTURES / "templates", repo / "templates")
    (repo / "fleets").mkdir()
    shutil.copy(FIXTURES / "cases" / f"{case}.yaml", repo / "fleets" / f"{case}.yaml")
    result = run_cli("render", cwd=repo)
    assert result.code == 0, result.err
    return {k: v for k, v in snapshot(repo).items()
            if not k.startswith(("templates/", "fleets/"))}


@pytest.mark.parametrize("case", CASES)
def test_case_renders_its_golden_tree(case: str, tmp_path: Path,
                                      request: pytest.FixtureRequest) -> None:
    produced = render_case(case, tmp_path)
    expected_dir = FIXTURES / "expected" / case
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, data in produced.items():
            (expected_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / path).write_bytes(data)
    expected = snapshot(expected_dir)
    assert sorted(produced) == sorted(expected)
    for path in expected:
        if produced[path] != expected[path]:
            diff = difflib.unified_diff(expected[path].decode().splitlines(True),
                                        produced[path].decode().splitlines(True),
                                        f"expected/{path}", f"rendered/{path}")
            pytest.fail("".join(diff))


def test_example_fleet_tree_is_committed_and_current() -> None:
    result = run_cli("render", "--check", cwd=ROOT)
    assert result.code == 0, result.out + result.err


def test_every_engine_is_covered() -> None:
    engines = {line.split(":")[1].strip() for case in CASES
               for line in (FIXTURES / "cases" / f"{case}.yaml").read_text().splitlines()
               if line.strip().startswith("engine:")}
    assert engines == {"flux", "argocd", "kustomize"}
