"""`mcgen render --shard K/N`: each shard writes and prunes only its own part, and the
shards' trees put together are one render's, byte for byte (real renders, real files)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

from mcgen.fleet.load import load_fleet
from mcgen.pipeline import RenderRequest, render
from mcgen.shard import clusters_in_shard


def tree(repo: Path) -> dict[str, bytes]:
    """Every file of the repository but mcgen's state."""
    return {str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*"))
            if p.is_file() and ".mcgen" not in p.parts and ".git" not in p.parts}


def copy_repo(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".mcgen", ".git"))
    return target


def argocd_fleet(repo: Path, clusters: int) -> Path:
    """The benchmark's synthetic fleet (replica pairs in groups), written for Argo CD so
    that there are files beside the cluster folders."""
    write_fleet(repo, clusters, 3)
    spec = repo / "fleets" / "bench.yaml"
    spec.write_text(spec.read_text().replace(
        "output: {dir: clusters, engine: kustomize}",
        "output: {dir: clusters, engine: argocd, repoURL: 'https://git.example.com/fleet.git'}"
    ).replace('kubernetesVersion: "1.31",',
              'kubernetesVersion: "1.31", apiServer: "https://k8s.example.com:6443",'))
    return repo


def shard_union(start: Path, work: Path, count: int) -> dict[str, bytes]:
    """Each shard rendered in its own copy of `start` (as CI jobs would), then their
    changes put together: a path takes the state of the shard that changed it."""
    before = tree(start)
    result = dict(before)
    changed_by: dict[str, int] = {}
    for index in range(1, count + 1):
        copy = copy_repo(start, work / f"shard{index}")
        assert run_cli("render", "-q", "--shard", f"{index}/{count}", cwd=copy).code == 0
        after = tree(copy)
        for path in {*before, *after}:
            if before.get(path) != after.get(path):
                assert path not in changed_by, f"{path}: shards {changed_by[path]} and {index}"
                changed_by[path] = index
                if path in after:
                    result[path] = after[path]
                else:
                    del result[path]
    return result


def full_render(start: Path, target: Path) -> dict[str, bytes]:
    copy = copy_repo(start, target)
    assert run_cli("render", "-q", cwd=copy).code == 0
    return tree(copy)


@pytest.mark.parametrize("count", [2, 3, 5])
def test_shards_of_a_cold_render_make_one_render(tmp_path: Path, count: int) -> None:
    start = argocd_fleet(tmp_path / "start", 12)
    whole = full_render(start, tmp_path / "whole")
    assert any(path.startswith("argocd/") for path in whole)
    assert shard_union(start, tmp_path / "shards", count) == whole


def test_shards_prune_their_own_stale_files_and_a_removed_cluster(tmp_path: Path) -> None:
    """From a tree rendered for a fleet that then lost a cluster and changed values, the
    shards remove exactly what one render removes (the gone cluster's folder: shard 1)."""
    start = argocd_fleet(tmp_path / "start", 12)
    assert run_cli("render", "-q", cwd=start).code == 0
    spec = start / "fleets" / "bench.yaml"
    lines = [line for line in spec.read_text().splitlines() if "c0011" not in line]
    spec.write_text("\n".join(lines).replace("{name: c0003,", "{name: c0003, values: "
                                               "{memory: 300Mi},") + "\n")
    whole = full_render(start, tmp_path / "whole")
    assert not any(path.startswith("clusters/c0011/") for path in whole)
    assert any(path.startswith("clusters/c0011/") for path in tree(start))
    assert shard_union(start, tmp_path / "shards", 4) == whole


def test_a_shard_touches_only_its_clusters_folders(tmp_path: Path) -> None:
    start = argocd_fleet(tmp_path / "start", 12)
    fleet = load_fleet(str(start / "fleets" / "bench.yaml"))
    mine = clusters_in_shard(fleet, (2, 3))
    result = render(RenderRequest(cwd=str(start), shard=(2, 3)))
    written = {path.split("/")[1] for path in result.outputs[0].plan.writes}
    assert written == mine
    for group in fleet.groups.values():
        assert len({c in mine for c in group.clusters}) == 1  # a group stays in one shard
    assert not (start / "argocd").exists()  # the fleet's own files are shard 1's
    check = run_cli("render", "--check", "-q", "--shard", "2/3", cwd=start)
    assert check.code == 0, check.out
    assert run_cli("render", "--check", "-q", "--shard", "1/3", cwd=start).code == 1


def test_a_bad_shard_is_a_usage_error(tmp_path: Path) -> None:
    start = argocd_fleet(tmp_path / "start", 4)
    result = run_cli("render", "--shard", "4/3", cwd=start)
    assert result.code == 2 and "--shard takes K/N" in result.err
