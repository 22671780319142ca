"""An incremental lint reports exactly what a full lint reports, after any change."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcgen.fleet.load import load_fleet
from mcgen.lint import incremental
from mcgen.lint.engine import LintRequest, LintResult, lint
from mcgen.lint.incremental import disk_digests
from mcgen.output import subtrees
from mcgen.output.caches import judge_ahead

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

CLUSTERS, COMPONENTS = 8, 3
TODAY = datetime.date(2026, 12, 2)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("incremental") / "fleet"
    write_fleet(repo, CLUSTERS, COMPONENTS)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([sys.executable, "-m", "mcgen", "render", "-q"], cwd=repo, check=True)
    return repo


def run(repo: Path, full: bool = False) -> LintResult:
    return lint(LintRequest(cwd=str(repo), today=TODAY, full=full))


def same_as_full(repo: Path) -> LintResult:
    """The incremental lint, after checking it equals a full one."""
    incremental = run(repo)
    whole = run(repo, full=True)
    assert incremental.findings == whole.findings
    assert incremental.objects == whole.objects
    return incremental


def _edit(path: Path, old: str, new: str) -> None:
    """`old` replaced by `new` once; nothing when `old` is gone (a change made before)."""
    text = path.read_text()
    path.write_text(text.replace(old, new, 1))


def _spec(repo: Path) -> Path:
    return repo / "fleets" / "bench.yaml"


def cluster_values(repo: Path, index: int, value: str) -> None:
    name = f"c{index:04d}"
    lines = _spec(repo).read_text().splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.lstrip().startswith(f"- {{name: {name},"):
            line = re.sub(r",? values: \{[^}]*\}", "", line)
            lines[number] = line.replace(f"{{name: {name},", f"{{name: {name}, "
                                         f"values: {{{value}}},", 1)
    _spec(repo).write_text("".join(lines))


def template(repo: Path, component: int, change: str) -> None:
    folder = repo / "templates" / f"comp{component:02d}"
    if change == "port":
        _edit(folder / "service.yaml.j2", "port: 80\n", "port: 81\n")
    elif change == "latest":
        _edit(folder / "deployment.yaml.j2", ":{{ values.version }}", ":latest")
    else:
        _edit(folder / "deployment.yaml.j2",
              '            limits: {cpu: "1", memory: {{ values.memory }}}\n', "")


def add_cluster(repo: Path, index: int) -> None:
    name = f"c{100 + index:04d}"
    if name in _spec(repo).read_text():
        return
    _edit(_spec(repo), "  groups:\n",
          f"    - {{name: {name}, region: eu-west-1, kubernetesVersion: \"1.31\", wave: 2, "
          f"labels: {{tier: standard}}}}\n  groups:\n")


def remove_cluster(repo: Path, index: int) -> None:
    lines = _spec(repo).read_text().splitlines(keepends=True)
    name = f"c{index:04d}"
    kept = [line for line in lines if f"{{name: {name}," not in line]
    kept = [line.replace(f"{name}, ", "").replace(f", {name}]", "]") for line in kept]
    kept = [line for line in kept if f"clusters: [{name}]" not in line]  # a group left empty
    _spec(repo).write_text("".join(kept))


def hand_edit(repo: Path, index: int, how: str) -> None:
    path = repo / "clusters" / f"c{index:04d}" / "comp01" / "service-comp01.yaml"
    if not path.exists():
        return
    if how == "edit":
        path.write_text(path.read_text() + "# hand edit\n")
    elif how == "touch":
        os.utime(path)
    else:
        path.unlink()


def render(repo: Path) -> None:
    subprocess.run([sys.executable, "-m", "mcgen", "render", "-q"], cwd=repo,
                   capture_output=True, check=False)


CLUSTER = st.integers(0, CLUSTERS - 1)
CHANGES = st.one_of(
    st.tuples(st.just(cluster_values), CLUSTER,
              st.sampled_from(["memory: 300Mi", "logLevel: debug", "version: \"2.0.0\"",
                               "replicas: 9", "version: \"0.1.0\""])),
    st.tuples(st.just(template), st.integers(0, COMPONENTS - 1),
              st.sampled_from(["port", "latest", "limits"])),
    st.tuples(st.just(add_cluster), st.integers(0, 2)),
    st.tuples(st.just(remove_cluster), CLUSTER),
    st.tuples(st.just(hand_edit), CLUSTER, st.sampled_from(["edit", "touch", "delete"])),
    st.tuples(st.just(render)),
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(CHANGES, min_size=1, max_size=4))
def test_after_random_changes_the_incremental_lint_equals_a_full_one(
        pristine: Path, tmp_path_factory: pytest.TempPathFactory,
        steps: list[tuple[object, ...]]) -> None:
    replay(pristine, tmp_path_factory.mktemp("case") / "fleet", steps, same_as_full)


def replay(pristine: Path, repo: Path, steps: list[tuple[object, ...]],
           check: Callable[[Path], LintResult]) -> None:
    """`check` on a copy of the fleet (which leaves the memo), then after each step."""
    shutil.copytree(pristine, repo, symlinks=True)
    check(repo)
    for change, *args in steps:
        change(repo, *args)  # type: ignore[operator]
        check(repo)


def test_a_one_cluster_change_lints_only_its_group(pristine: Path, tmp_path: Path) -> None:
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    first = same_as_full(repo)
    assert first.remembered == 0  # nothing to reuse yet
    assert same_as_full(repo).remembered == CLUSTERS  # nothing changed: nothing linted
    cluster_values(repo, 3, "memory: 300Mi")  # c0003 drifts from its replica c0002
    after = same_as_full(repo)
    assert after.remembered == CLUSTERS - 2
    assert {f.rule for f in after.findings} >= {"replica-drift", "output-drift"}


def test_a_lint_with_nothing_changed_rewrites_no_memo(pristine: Path, tmp_path: Path) -> None:
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    run(repo)
    [memo] = repo.glob(".git/mcgen/lint-*.json")
    before = memo.stat()
    assert run(repo).remembered == CLUSTERS
    after = memo.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    cluster_values(repo, 3, "memory: 300Mi")
    assert run(repo).remembered < CLUSTERS
    assert memo.stat().st_ino != before.st_ino  # what changed is kept, atomically


def test_a_version_change_is_linted_whole(pristine: Path, tmp_path: Path) -> None:
    """Versions are a fleet-wide fact (rollout-order compares every wave)."""
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    same_as_full(repo)
    cluster_values(repo, 0, 'version: "9.0.0"')
    assert same_as_full(repo).remembered == 0


def test_a_context_change_is_linted_whole(pristine: Path, tmp_path: Path) -> None:
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    same_as_full(repo)
    _edit(_spec(repo), "  groups:\n",
          "  lint: {rules: {resource-limits: {severity: warning}}}\n  groups:\n")
    assert same_as_full(repo).remembered == 0


def test_a_remembered_clusters_drift_is_reported_once(pristine: Path, tmp_path: Path) -> None:
    """c0005 was edited by hand before the first lint: the next lint, after a change to
    c0003 only, remembers c0005's drift and compares only c0002 and c0003 on disk."""
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    hand_edit(repo, 5, "edit")
    same_as_full(repo)
    cluster_values(repo, 3, "memory: 300Mi")
    after = same_as_full(repo)
    assert after.remembered == CLUSTERS - 2
    edited = [f for f in after.findings if f.rule == "output-drift" and "c0005" in f.location.path]
    assert [f.location.path for f in edited] == ["clusters/c0005/comp01/service-comp01.yaml"]


def _parts(patch: pytest.MonkeyPatch, on: bool) -> None:
    """Lint a fleet of any size in parts of 3 clusters over the cores, or whole."""
    from mcgen.lint import parts

    patch.setattr(parts, "MIN_PART_CLUSTERS", 1 if on else 10**6)
    patch.setattr(parts, "PART_CLUSTERS", 3)


def in_parts_same_as_whole(repo: Path) -> LintResult:
    """The incremental lint, with its memo from lints in parts, after checking it equals
    a full lint of the whole fleet in one process."""
    with pytest.MonkeyPatch.context() as patch:
        _parts(patch, True)
        incremental = run(repo)
        _parts(patch, False)
        whole = run(repo, full=True)
    assert incremental.findings == whole.findings
    assert incremental.objects == whole.objects
    return incremental


def test_a_memo_made_in_parts_serves_the_next_lint(pristine: Path, tmp_path: Path) -> None:
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    assert in_parts_same_as_whole(repo).remembered == 0
    assert in_parts_same_as_whole(repo).remembered == CLUSTERS
    cluster_values(repo, 3, "memory: 300Mi")
    after = in_parts_same_as_whole(repo)
    assert after.remembered == CLUSTERS - 2
    assert {f.rule for f in after.findings} >= {"replica-drift", "output-drift"}
    cluster_values(repo, 0, 'version: "0.1.0"')  # a version: linted whole, in parts
    assert in_parts_same_as_whole(repo).remembered == 0


@pytest.mark.slow
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(CHANGES, min_size=1, max_size=4))
def test_after_random_changes_a_lint_in_parts_equals_one_whole(
        pristine: Path, tmp_path_factory: pytest.TempPathFactory,
        steps: list[tuple[object, ...]]) -> None:
    replay(pristine, tmp_path_factory.mktemp("parts") / "fleet", steps,
           in_parts_same_as_whole)


@pytest.fixture
def judged_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tree judged against the no-op record in second processes while the fleet
    loads (`mcgen.output.subtrees`), which a fleet this small would not otherwise do."""
    monkeypatch.setattr(subtrees, "LINES_PER_PROCESS", 1)
    monkeypatch.setenv("MCGEN_JOBS", "2")


@pytest.mark.slow
@pytest.mark.parametrize("check", [same_as_full, in_parts_same_as_whole],
                         ids=["incremental-equals-full", "in-parts-equals-whole"])
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(CHANGES, min_size=1, max_size=4))
def test_with_the_tree_judged_ahead_the_lint_equals_a_full_one(
        pristine: Path, tmp_path_factory: pytest.TempPathFactory, judged_ahead: None,
        check: Callable[[Path], LintResult], steps: list[tuple[object, ...]]) -> None:
    """As above, the copy rendered first: its record describes it (new inodes). In
    parts, the no-op check takes the judges' verdict on the tree (`TreeJudge.verdict`);
    the whole lint it is compared with judges it itself."""
    replay(pristine, tmp_path_factory.mktemp("case") / "fleet", [(render,), *steps], check)


@pytest.mark.parametrize("how", ["edit", "delete"])
def test_a_hand_edit_is_found_in_parts_with_the_tree_judged_ahead(
        pristine: Path, tmp_path: Path, judged_ahead: None, how: str) -> None:
    """The judges found the edited folder unsettled: the no-op check of a lint in parts
    may not take their verdict as "unchanged", and output-drift names the file."""
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    render(repo)
    hand_edit(repo, 5, how)
    found = in_parts_same_as_whole(repo)  # no memo yet: every cluster linted, in parts
    assert found.remembered == 0
    assert [f.location.path for f in found.findings if f.rule == "output-drift"] == [
        "clusters/c0005/comp01/service-comp01.yaml"]


@pytest.mark.parametrize("how", ["edit", "delete"])
def test_a_full_lint_in_parts_with_the_tree_judged_ahead_finds_a_hand_edit(
        pristine: Path, tmp_path: Path, judged_ahead: None, how: str) -> None:
    """`lint --full` takes the judges' verdict too (its tree judged from the program's
    first line): the edited folder is unsettled, so its no-op check finds the tree
    changed, as a whole lint judging the tree itself does."""
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    render(repo)
    assert judge_early_starts(["lint", "--full"], repo)
    hand_edit(repo, 5, how)
    with pytest.MonkeyPatch.context() as patch:
        _parts(patch, True)
        in_parts = run(repo, full=True)
        _parts(patch, False)
        whole = run(repo, full=True)
    assert in_parts.findings == whole.findings and in_parts.objects == whole.objects
    assert [f.location.path for f in in_parts.findings if f.rule == "output-drift"] == [
        "clusters/c0005/comp01/service-comp01.yaml"]


def judge_early_starts(argv: list[str], repo: Path) -> bool:
    """Whether the program's first code starts judging the tree for `argv`."""
    from mcgen.fastpath import judge_early

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        judge_early(argv)
        early = subtrees.take_early(str(_spec(repo)))
    if early is not None:
        early.stop()
    return early is not None


def test_a_cluster_as_the_record_has_it_is_known_by_the_record(
        pristine: Path, tmp_path: Path, judged_ahead: None) -> None:
    """A cluster whose folder the no-op record describes is digested from the record's
    lines (stats taken while the fleet loads); one edited by hand is stat again, so
    its digest changes and its findings are made again."""
    repo = tmp_path / "fleet"
    shutil.copytree(pristine, repo, symlinks=True)
    subprocess.run([sys.executable, "-m", "mcgen", "render", "--check", "-q"], cwd=repo,
                   check=True)  # the copy's own record (the copy has new inodes)
    spec = str(_spec(repo))
    fleet = load_fleet(spec)
    before = disk_digests(fleet, judge_ahead([spec])[spec])
    assert all(digest.startswith("record:") for digest in before.values())
    assert before == disk_digests(fleet, judge_ahead([spec])[spec])
    assert same_as_full(repo).remembered == 0  # the first lint: its memo
    assert same_as_full(repo).remembered == CLUSTERS
    hand_edit(repo, 2, "edit")
    after = disk_digests(fleet, judge_ahead([spec])[spec])
    assert not after["c0002"].startswith("record:")
    assert {c: d for c, d in after.items() if c != "c0002"} == {
        c: d for c, d in before.items() if c != "c0002"}
    assert same_as_full(repo).remembered == CLUSTERS - 2  # c0002 and its replica c0003


@pytest.mark.parametrize("package", ["kubernetes-validate", "jsonschema-rs", "jinja2",
                                     "ruamel.yaml", "PyYAML", "no-such-distribution"])
def test_the_versions_in_the_context_are_importlib_metadatas(package: str) -> None:
    """The context's package versions are read off the dist-info folders' names, as
    importlib.metadata reads them (without importing it on every lint)."""
    import importlib.metadata

    try:
        wanted = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        wanted = ""
    assert incremental._version(package) == wanted
