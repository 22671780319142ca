"""`mcgen access` on copies of the example fleet: formats, filters, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import run_cli


def test_matrix_of_the_example(example_repo: Path) -> None:
    run = run_cli("access", cwd=example_repo)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[2].split() == ["subject", "us-west", "us-east", "eu-west"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:]}
    assert rows["Group:acme:platform-team"] == ["cluster-admin"] * 3


def test_the_tree_and_an_in_memory_render_agree(example_repo: Path) -> None:
    from_tree = run_cli("access", "--format", "json", cwd=example_repo)
    rendered = run_cli("access", "--format", "json", "--render", cwd=example_repo)
    assert from_tree.code == rendered.code == 0
    assert json.loads(from_tree.out) == json.loads(rendered.out)
    assert json.loads(from_tree.out)["fleets"][0]["grants"]


def test_filters_by_resource_verb_and_cluster(example_repo: Path) -> None:
    run = run_cli("access", "--resource", "secrets", "--verb", "get", "--cluster", "eu-west",
                  "--format", "csv", cwd=example_repo)
    assert run.code == 0, run.err
    rows = list(csv.DictReader(io.StringIO(run.out)))
    assert rows and {r["cluster"] for r in rows} == {"eu-west"}
    assert {r["subject"] for r in rows} == {"Group:acme:platform-team"}  # view reads no Secret


def test_one_subject_view(example_repo: Path) -> None:
    run = run_cli("access", "--subject", "ServiceAccount:monitoring:monitoring-agent",
                  cwd=example_repo)
    assert run.code == 0, run.err
    assert "ClusterRole monitoring-agent, bound by ClusterRoleBinding monitoring-agent" in run.out
    assert "get,list,watch nodes,nodes/metrics,pods,services,endpoints" in run.out


def test_bad_subject_and_cluster_are_usage_errors(example_repo: Path) -> None:
    bad = run_cli("access", "--subject", "alice", cwd=example_repo)
    assert bad.code == 2 and "is not a subject" in bad.err
    unknown = run_cli("access", "--cluster", "mars", cwd=example_repo)
    assert unknown.code == 2 and "unknown cluster mars" in unknown.err


def test_unrendered_tree_says_what_to_do(example_repo: Path) -> None:
    import shutil
    shutil.rmtree(example_repo / "clusters")
    run = run_cli("access", cwd=example_repo)
    assert run.code == 2 and "mcgen render" in run.err


def test_broken_rbac_file_is_located(example_repo: Path) -> None:
    path = example_repo / "clusters/eu-west/platform-rbac/clusterrolebinding-platform-admins.yaml"
    path.write_text(path.read_text() + "  - [unclosed\n")
    run = run_cli("access", cwd=example_repo)
    assert run.code == 2
    assert "clusters/eu-west/platform-rbac/clusterrolebinding-platform-admins.yaml:" in run.err
    assert "Traceback" not in run.err


def test_a_symlinked_rbac_file_is_refused_unread(example_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("kind: ClusterRoleBinding\n")
    link = example_repo / "clusters/us-west/platform-rbac/clusterrolebinding-sneaky.yaml"
    link.symlink_to(outside)
    run = run_cli("access", cwd=example_repo)
    assert run.code == 2
    assert "clusters/us-west/platform-rbac/clusterrolebinding-sneaky.yaml" in run.err
    assert "symlink" in run.err


def test_a_second_run_reads_the_cache_and_sees_an_edit(example_repo: Path) -> None:
    (example_repo / ".mcgen").mkdir()  # a rendered repository's state folder
    first = run_cli("access", "--format", "json", cwd=example_repo)
    assert list((example_repo / ".mcgen").glob("access-*.json"))
    second = run_cli("access", "--format", "json", cwd=example_repo)
    assert first.out == second.out
    path = example_repo / "clusters/us-east/platform-rbac/clusterrolebinding-platform-admins.yaml"
    path.write_text(path.read_text().replace("name: acme:platform-team", "name: acme:ops"))
    third = run_cli("access", cwd=example_repo)
    assert "Group:acme:ops" in third.out and "Group:acme:platform-team" in third.out
