"""The CI summary's rollout plan: which waves a pull request reaches now, and what
`mcgen promote` carries next."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from rollout.wavefleet import commit_rendered, git, make_repo, merge_change

pytestmark = pytest.mark.slow


def _pull_request(work: Path, image: str) -> str:
    git(work, "switch", "-q", "-c", "pr")
    spec = work / "fleets" / "shop.yaml"
    old = spec.read_text().split('image: "', 1)[1].split('"', 1)[0]
    spec.write_text(spec.read_text().replace(old, image))
    return commit_rendered(work, f"web {image}")


def _plan(summary: str) -> list[str]:
    section = summary.split("### Rollout plan", 1)[1].split("**Rendered change**", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "wave" not in
            line.split("|")[1]]


def test_with_wave_refs_a_pull_request_reaches_no_wave_at_merge(tmp_path: Path) -> None:
    work, _ = make_repo(tmp_path)
    first = git(work, "rev-parse", "HEAD")
    assert run_cli("promote", "--wave", "1", "--push", cwd=work).code == 0
    merged = merge_change(work, "nginx:1.27.1")
    _pull_request(work, "nginx:1.27.2")
    out = tmp_path / "summary.md"
    done = run_cli("ci", "--base", "main", "--summary", str(out), cwd=work)
    assert done.code in (0, 1), done.err
    text = out.read_text()
    assert "merging changes no cluster" in text
    rows = _plan(text)
    assert rows[0].startswith(f"| 1 | canary | canary | when promoted | `{first[:12]}` shop "
                              f"fleet | 1 commit(s): `{merged[:12]}` web nginx:1.27.1 |")
    assert rows[1].startswith("| 2 | east | east | when promoted | nothing yet | 1 commit(s): "
                              f"`{first[:12]}` shop fleet |")


def test_without_wave_refs_every_wave_it_touches_gets_it_on_merge(tmp_path: Path) -> None:
    work, _ = make_repo(tmp_path)
    spec = work / "fleets" / "shop.yaml"
    spec.write_text(spec.read_text().replace("  rollout:\n    flux: {waveRefs: true}\n", ""))
    commit_rendered(work, "no wave refs")
    _pull_request(work, "nginx:1.27.2")
    out = tmp_path / "summary.md"
    done = run_cli("ci", "--base", "main", "--summary", str(out), cwd=work)
    assert done.code in (0, 1), done.err
    text = out.read_text()
    assert "waves stage nothing" in text
    assert _plan(text) == ["| 1 | canary | canary | on merge |", "| 2 | east | east | on merge |",
                           "| 3 | west | west | on merge |"]
    assert "where waves stage nothing" in done.out  # the replica-blast-radius warning
