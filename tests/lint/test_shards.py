"""--shard K/N across CI jobs, merged with --merge, equals one run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

from mcgen.fleet.load import load_fleet
from mcgen.shard import clusters_in_shard, units


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    repo = tmp_path / "fleet"
    write_fleet(repo, 12, 4)
    assert run_cli("render", "-q", cwd=repo).code == 0
    spec = repo / "fleets" / "bench.yaml"
    spec.write_text(spec.read_text().replace(  # one replica differs: replica-drift
        "{name: c0003,", "{name: c0003, values: {memory: 512Mi},").replace(
        # a canary of wave 1 still runs an old version: every wave-2 cluster, in every
        # shard, is ahead of it (rollout-order compares across shards)
        "{name: c0002,", '{name: c0002, values: {version: "0.0.1"},'))
    template = repo / "templates" / "comp01" / "deployment.yaml.j2"
    template.write_text(template.read_text().replace(
        '            limits: {cpu: "1", memory: {{ values.memory }}}\n', ""))
    edited = repo / "clusters" / "c0007" / "comp02" / "service-comp02.yaml"
    edited.write_text(edited.read_text() + "# hand edit\n")
    return repo


def report(repo: Path, *args: str) -> dict[str, object]:
    result = run_cli("lint", "--format", "json", *args, cwd=repo)
    assert result.code == 1, result.err
    loaded: dict[str, object] = json.loads(result.out)
    return loaded


def test_groups_stay_in_one_shard(messy: Path) -> None:
    fleet = load_fleet(str(messy / "fleets" / "bench.yaml"))
    shards = [clusters_in_shard(fleet, (k, 3)) for k in (1, 2, 3)]
    assert set().union(*shards) == set(fleet.clusters)
    assert sum(len(s) for s in shards) == len(fleet.clusters)
    for group in fleet.groups.values():
        assert sum(1 for s in shards if set(group.clusters) & s) == 1
    assert all(len(unit) == 2 for unit in units(fleet))


def test_merged_shards_equal_one_run(messy: Path, tmp_path: Path) -> None:
    whole = report(messy)
    paths = []
    for k in (1, 2, 3):
        part = report(messy, "--shard", f"{k}/3")
        paths.append(tmp_path / f"shard{k}.json")
        paths[-1].write_text(json.dumps(part))
    merged = run_cli("lint", "--format", "json", *(a for p in paths for a in ("--merge", str(p))))
    assert merged.code == 1
    combined = json.loads(merged.out)
    assert combined["findings"] == whole["findings"]
    assert combined["summary"] == whole["summary"]
    rules = {f["rule"] for f in whole["findings"]}  # type: ignore[union-attr,index]
    assert {"replica-drift", "resource-limits", "output-drift", "rollout-order"} <= rules
    ahead = {f["location"]["path"].split("/")[1]  # type: ignore[index]
             for f in whole["findings"] if f["rule"] == "rollout-order"}  # type: ignore[union-attr,index]
    assert len(ahead) > 2  # wave-2 clusters of more than one shard


def test_a_bad_shard_is_a_usage_error(messy: Path) -> None:
    assert run_cli("lint", "--shard", "4/3", cwd=messy).code == 2
    assert run_cli("lint", "--shard", "x", cwd=messy).code == 2
