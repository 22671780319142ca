"""Merge-safe state: mcgen keeps no committed file that every render rewrites.

Real git: two branches that change different clusters and different templates both
render, and `git merge` completes with no conflict, with ownership, pruning and hand-edit
detection intact after it; a pair that conflicts in generated output is healed by
`mcgen render` alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run_cli
from workflows.gitfixture import commit_all, edit, git

from mcgen.output.ownership import is_sidecar

FLEET = "fleets/acme.yaml"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "fleet"
    for name in ("fleets", "templates", "policies", "crds", "clusters", "charts", "manifests",
                 "values", "secrets"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, repo / name)
    if (ROOT / ".sops.yaml").exists():
        shutil.copy(ROOT / ".sops.yaml", repo / ".sops.yaml")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "the example fleet")
    return repo


def _branch(repo: Path, name: str, change: tuple[str, str, str]) -> None:
    git(repo, "checkout", "-q", "-b", name, "main")
    edit(repo, *change)
    assert run_cli("render", "-q", cwd=repo).code == 0
    commit_all(repo, name)
    git(repo, "checkout", "-q", "main")


def _state_files(repo: Path) -> list[str]:
    """Committed files of mcgen's own, less the sidecars holding one verbatim file's stamp
    each (rewritten only with their file: the test below checks nothing else changes)."""
    listed = git(repo, "ls-files").stdout.split()
    return [path for path in listed if ".mcgen" in Path(path).name and not is_sidecar(path)]


def test_no_committed_file_is_rewritten_by_every_render(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert run_cli("render", "-q", cwd=repo).code == 0
    assert _state_files(repo) == []
    edit(repo, FLEET, "values: {replicas: 2}", "values: {replicas: 3}")
    assert run_cli("render", "-q", cwd=repo).code == 0
    changed = git(repo, "status", "--porcelain").stdout.split("\n")
    assert all("clusters/" not in line or "/ingress/" in line for line in changed if line)


def test_two_branches_on_different_outputs_merge_without_a_conflict(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    # eu-west's accounts, the US clusters' storefront, and a template on every cluster
    _branch(repo, "eu", (FLEET, 'version: "1.9.0"', 'version: "1.9.1"'))
    _branch(repo, "us", (FLEET, "replicas: 3\n", "replicas: 6\n"))
    _branch(repo, "monitoring", ("templates/monitoring-agent/agent.yaml.j2",
                                 "kind: ServiceAccount\nmetadata:\n  name: monitoring-agent\n",
                                 "kind: ServiceAccount\nmetadata:\n  name: monitoring-agent\n"
                                 "  labels: {agent: v2}\n"))
    for branch in ("eu", "us", "monitoring"):
        merged = git(repo, "merge", "--no-edit", branch, check=False)
        assert merged.returncode == 0, merged.stdout + merged.stderr
        assert "CONFLICT" not in merged.stdout
    check = run_cli("render", "--check", cwd=repo)
    assert check.code == 0, check.out  # the merged tree is exactly the merged fleet's


def test_pruning_and_hand_edits_survive_a_merge(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _branch(repo, "drop", (FLEET, "placement: {groups: [us-web]}",
                           "placement: {clusters: [us-west]}"))
    _branch(repo, "tweak", ("templates/ingress/controller.yaml.j2", "ingress-controller\nspec:",
                            "ingress-controller\n  labels: {v: '2'}\nspec:"))
    git(repo, "merge", "-q", "--no-edit", "tweak")
    # before the second merge, render the tree of main + tweak on a clean checkout
    git(repo, "merge", "-q", "--no-edit", "drop")
    assert run_cli("render", "--check", cwd=repo).code == 0
    target = repo / "clusters/us-west/ingress/deployment-ingress-controller.yaml"
    target.write_text(target.read_text().replace("replicas:", "replicas: 9 #", 1))
    check = run_cli("render", "--check", "--no-diff", cwd=repo)
    assert check.code == 1 and "edited by hand" in check.out
    git(repo, "checkout", "-q", "--", ".")
    # files a branch no longer produces are pruned after the merge
    edit(repo, FLEET, "placement: {clusters: [us-west]}", "placement: {clusters: [eu-west]}")
    assert run_cli("render", "-q", cwd=repo).code == 0
    assert not (repo / "clusters/us-west/storefront").exists()


def test_a_conflicted_merge_is_healed_by_render_alone(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _branch(repo, "four", (FLEET, "values: {replicas: 2}", "values: {replicas: 4}"))
    _branch(repo, "five", (FLEET, "values: {replicas: 2}", "values: {replicas: 5}"))
    git(repo, "merge", "-q", "--no-edit", "four")
    clash = git(repo, "merge", "--no-edit", "five", check=False)
    assert clash.returncode != 0 and "CONFLICT" in clash.stdout
    spec = (repo / FLEET).read_text()  # the user resolves the fleet spec, the source
    resolved = spec.split("<<<<<<<")[0] + "      values: {replicas: 5}\n" + spec.split(
        ">>>>>>> five\n")[1]
    (repo / FLEET).write_text(resolved)
    generated = [p for p in git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split()
                 if p.startswith("clusters/")]
    assert generated  # the rendered files conflict too
    check = run_cli("render", "--check", "--no-diff", cwd=repo)
    assert check.code == 1 and "conflicted git merge" in check.out
    done = run_cli("render", cwd=repo)
    assert done.code == 0, done.err
    for path in generated:
        assert b"<<<<<<<" not in (repo / path).read_bytes()
    assert run_cli("render", "--check", cwd=repo).code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-edit", "--no-verify")
    assert run_cli("lint", cwd=repo).code == 0
