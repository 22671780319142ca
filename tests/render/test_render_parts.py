"""A large fleet is rendered a part at a time (`mcgen.output.whole`): the tree, the
records and every message are those of a render in one part, byte for byte; nothing is
written unless every part is sound. Real renders of the benchmark's fleet, with the part
made small so that twelve clusters take several parts; every test runs twice, the parts
done one after the other and shared out between two forked processes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from mcgen.output import whole
from mcgen.output.fastcheck import FINE_TICK_NS
from mcgen.pipeline import RenderRequest, render
from render.test_render_shards import argocd_fleet, copy_repo, tree


@pytest.fixture(autouse=True, params=["one after the other", "side by side"])
def side(request: pytest.FixtureRequest) -> Iterator[str]:
    """Side by side: parts of any size go to two processes (as 400 clusters would)."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "side by side":
            patch.setattr(whole, "MIN_SIDE_CLUSTERS", 1)
            patch.setenv("MCGEN_JOBS", "2")
        yield str(request.param)


def render_in(repo: Path, parts: int, monkeypatch: pytest.MonkeyPatch, *args: str
              ) -> tuple[int, str, str]:
    """`mcgen render` with `parts` clusters a part (0: the default, one part here)."""
    if parts:
        monkeypatch.setattr(whole, "PART_CLUSTERS", parts)
    result = run_cli("render", *args, cwd=repo)
    monkeypatch.undo()
    return result.code, result.out, result.err


def both(start: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str,
         code: int = 0) -> tuple[Path, Path]:
    """`start` rendered in one part and in parts of 5 clusters (12 clusters: 3 parts and
    the files beside them), each in its own copy; the codes and messages must agree."""
    one, parts = copy_repo(start, tmp_path / "one"), copy_repo(start, tmp_path / "parts")
    said = render_in(one, 0, monkeypatch, *args)
    assert said == render_in(parts, 5, monkeypatch, *args)
    assert said[0] == code, said
    return one, parts


def test_a_cold_render_in_parts_is_one_render(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    start = argocd_fleet(tmp_path / "start", 12)
    one, parts = both(start, tmp_path, monkeypatch)
    assert tree(one) == tree(parts)
    assert any(path.startswith("argocd/") for path in tree(parts))
    assert not [p for p in (parts / ".mcgen").iterdir() if p.name.startswith("staging-")]


def test_a_render_in_parts_prunes_and_keeps_as_one_render(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over a rendered tree: a removed cluster's folder pruned, changed clusters
    rewritten, the others kept; then the no-op check and the next run agree."""
    start = argocd_fleet(tmp_path / "start", 12)
    assert run_cli("render", "-q", cwd=start).code == 0
    spec = start / "fleets" / "bench.yaml"
    lines = spec.read_text().splitlines(keepends=True)
    dropped = next(i for i, line in enumerate(lines) if "name: c0011" in line)
    spec.write_text("".join(lines[:dropped] + lines[dropped + 1:]).replace(
        "{name: c0000,", "{name: c0000, values: {memory: 300Mi},").replace(
        "clusters: [c0010, c0011]", "clusters: [c0010]"))
    one, parts = both(start, tmp_path, monkeypatch)
    assert tree(one) == tree(parts)
    assert not any("/c0011/" in path for path in tree(parts))
    for repo in (one, parts):
        assert run_cli("render", "--check", cwd=repo).code == 0
    monkeypatch.setattr(whole, "PART_CLUSTERS", 5)
    assert run_cli("render", "--check", cwd=parts).code == 0


def test_a_check_in_parts_reports_what_one_check_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stale, edited and missing files in different parts: the same findings and diff."""
    start = argocd_fleet(tmp_path / "start", 12)
    assert run_cli("render", "-q", cwd=start).code == 0
    files = sorted(p for p in (start / "clusters").rglob("*.yaml")
                   if "kustomization" not in p.name)
    edited, missing = files[3], files[-2]
    edited.write_text(edited.read_text() + "# hand edit\n")
    missing.unlink()
    beside = start / "argocd" / "bench" / "kustomization.yaml"
    beside.write_text(beside.read_text() + "# edited too\n")
    code, out, err = render_in(copy_repo(start, tmp_path / "a"), 0, monkeypatch, "--check")
    assert code == 1 and "edited by hand" in out and "missing" in out
    assert render_in(copy_repo(start, tmp_path / "b"), 5, monkeypatch, "--check") == (
        code, out, err)


def test_a_problem_in_a_later_part_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file mcgen did not write, in the last part's folder: refused, and no part of
    the render before it is written."""
    start = argocd_fleet(tmp_path / "start", 12)
    foreign = start / "clusters" / "c0010" / "comp00" / "service-comp00.yaml"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("kind: ConfigMap  # mine\n")
    one, parts = both(start, tmp_path, monkeypatch, code=2)
    assert tree(parts) == tree(start) == tree(one)
    code, _, err = render_in(parts, 5, monkeypatch)
    assert code == 2 and "was not generated by mcgen" in err, err


def test_render_problems_of_every_part_are_reported_together(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two clusters in different parts render invalid YAML: both named, once."""
    start = argocd_fleet(tmp_path / "start", 12)
    spec = start / "fleets" / "bench.yaml"
    spec.write_text(spec.read_text().replace(
        "{name: c0001,", "{name: c0001, values: {memory: '{'},").replace(
        "{name: c0009,", "{name: c0009, values: {memory: '{'},"))
    code, out, err = render_in(copy_repo(start, tmp_path / "parts"), 5, monkeypatch)
    assert code == 2
    assert "'c0001'" in err and "'c0009'" in err, err
    assert render_in(copy_repo(start, tmp_path / "one"), 0, monkeypatch) == (code, out, err)
    assert not (tmp_path / "parts" / "clusters").exists()


def test_parts_record_what_one_render_records(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """What a render in parts records is one render's: the next one-cluster change
    keeps the other clusters either way (the same files written), and the no-op check
    after it answers from the record."""
    start = argocd_fleet(tmp_path / "start", 12)
    one, parts = both(start, tmp_path, monkeypatch)
    time.sleep(2 * FINE_TICK_NS / 1e9)  # past the racy window: the files are trusted
    assert render_in(one, 0, monkeypatch) == render_in(parts, 5, monkeypatch)
    time.sleep(2 * FINE_TICK_NS / 1e9)
    for repo in (one, parts):
        spec = repo / "fleets" / "bench.yaml"
        spec.write_text(spec.read_text().replace("{name: c0004,",
                                                 "{name: c0004, values: {memory: 300Mi},"))
    kept = []
    for repo, size in ((one, 0), (parts, 5)):
        if size:
            monkeypatch.setattr(whole, "PART_CLUSTERS", size)
        out = render(RenderRequest(cwd=str(repo))).outputs[0]
        monkeypatch.undo()
        kept.append((out.kept, out.plan.writes, len(out.plan.desired)))
    assert kept[0] == kept[1]
    assert kept[0][0] == 11 * 16 and len(kept[0][1]) == 3  # 11 clusters kept, 16 files each
    assert tree(one) == tree(parts)


def lint_in(repo: Path, parts: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    if parts:
        monkeypatch.setattr(whole, "PART_CLUSTERS", parts)
    result = run_cli("lint", "--full", "--select", "output-drift", cwd=repo)
    monkeypatch.undo()
    return result.code, result.out


def test_lint_compares_the_tree_in_parts_as_one_compare(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """output-drift over a tree with no index (a fresh clone), compared a part at a
    time: the same findings, at the same lines, as one compare; a tree never rendered
    is still one finding."""
    start = argocd_fleet(tmp_path / "start", 12)
    never = [lint_in(copy_repo(start, tmp_path / n), size, monkeypatch)
             for n, size in (("n1", 0), ("n5", 5))]
    assert never[0] == never[1] and "never rendered" in never[0][1], never
    assert never[0][1].count("[output-drift]") == 1
    assert run_cli("render", "-q", cwd=start).code == 0
    files = sorted(p for p in (start / "clusters").rglob("*.yaml")
                   if "kustomization" not in p.name)
    files[1].write_text(files[1].read_text().replace("replicas", "replicas: 9\n#", 1))
    files[-3].unlink()
    beside = start / "argocd" / "bench" / "kustomization.yaml"
    beside.write_text(beside.read_text() + "# edited too\n")
    said = [lint_in(copy_repo(start, tmp_path / n), size, monkeypatch)
            for n, size in (("c1", 0), ("c5", 5))]
    assert said[0] == said[1] and said[0][0] == 1, said
    assert said[0][1].count("[output-drift]") == 3 and "edited by hand" in said[0][1]


def test_parts_side_by_side_are_done_in_two_processes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: str) -> None:
    """The side-by-side runs above really share the parts out: each part says which
    process did it."""
    start = argocd_fleet(tmp_path / "start", 12)
    said = tmp_path / "pids"
    said.mkdir()
    real = whole._part_done

    def noted(parts: whole.Parts, number: int, problems: whole.Problems) -> whole.PartDone:
        (said / str(number)).write_text(str(os.getpid()))
        return real(parts, number, problems)

    monkeypatch.setattr(whole, "_part_done", noted)
    assert render_in(start, 5, monkeypatch)[0] == 0
    pids = {path.name: path.read_text() for path in said.iterdir()}
    if side == "side by side":  # 12 clusters: four parts of three, the files beside them
        assert len(pids) == 5 and len(set(pids.values())) == 2
    else:  # three parts of four, the files beside them
        assert len(pids) == 4 and set(pids.values()) == {str(os.getpid())}


def test_a_part_whose_process_dies_is_done_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: str) -> None:
    """A forked process killed amid its parts (some staged already): the render does
    its share again and the tree is one render's."""
    start = argocd_fleet(tmp_path / "start", 12)
    one = copy_repo(start, tmp_path / "one")
    assert render_in(one, 0, monkeypatch)[0] == 0
    parent, real = os.getpid(), whole._part_done

    def dying(parts: whole.Parts, number: int, problems: whole.Problems) -> whole.PartDone:
        done = real(parts, number, problems)
        if os.getpid() != parent and number == 3:
            os._exit(9)
        return done

    monkeypatch.setattr(whole, "_part_done", dying)
    assert render_in(start, 5, monkeypatch)[0] == 0
    assert tree(start) == tree(one)
    assert run_cli("render", "--check", cwd=start).code == 0
