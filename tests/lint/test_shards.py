"""--shard K/N across CI jobs, merged with --merge, equals one run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

from mcgen.fleet.load import load_fleet
from mcgen.shard import clusters_in_shard, units

AGE = "age1umlh6gh7nv7kyndv7psysfwv9tzydjm66kapld043wjgptuk4fkqjeztsm"


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


def merged_shards(repo: Path, tmp_path: Path, count: int) -> dict[str, object]:
    paths = []
    for k in range(1, count + 1):
        result = run_cli("lint", "--format", "json", "--shard", f"{k}/{count}", cwd=repo)
        assert result.code in (0, 1), result.err
        paths.append(tmp_path / f"shard{k}.json")
        paths[-1].write_text(result.out)
    merged = run_cli("lint", "--format", "json", *(a for p in paths for a in ("--merge", str(p))))
    assert merged.code in (0, 1), merged.err
    loaded: dict[str, object] = json.loads(merged.out)
    return loaded


def test_rollout_order_settled_as_one_run(messy: Path, tmp_path: Path) -> None:
    """Severity settings, `spec.lint.ignore` and annotations apply to the findings
    `--merge` makes from the shards' versions as they apply in one run."""
    spec = messy / "fleets" / "bench.yaml"
    spec.write_text(spec.read_text().replace("  groups:\n", (
        "  lint:\n    rules: {rollout-order: {severity: warning}}\n"
        "    ignore: [{rule: rollout-order, target: c0005/*, reason: pinned for a test}]\n"
        "  groups:\n"), 1))
    template = messy / "templates" / "comp00" / "deployment.yaml.j2"
    template.write_text(template.read_text().replace("  name: {{ component.name }}\n", (
        "  name: {{ component.name }}\n"
        "  annotations: {mcgen.dev/ignore: '{{ 'rollout-order: a canary on purpose' "
        "if cluster.name == 'c0009' else 'image-tag: unused here' }}'}\n"), 1))
    whole = report(messy)
    ahead = [f for f in whole["findings"] if f["rule"] == "rollout-order"]  # type: ignore[union-attr,index]
    clusters = {f["location"]["path"].split("/")[1] for f in ahead}  # type: ignore[index]
    assert ahead and all(f["severity"] == "warning" for f in ahead)  # type: ignore[index]
    assert "c0005" not in clusters and "c0007" in clusters
    assert not any(f["location"]["path"].startswith("clusters/c0009/comp00/")  # type: ignore[index]
                   for f in ahead)
    assert any(f["location"]["path"].startswith("clusters/c0009/") for f in ahead)  # type: ignore[index]
    combined = merged_shards(messy, tmp_path, 3)
    assert combined["findings"] == whole["findings"]
    assert combined["summary"] == whole["summary"]
    alone = run_cli("lint", "--shard", "1/3", cwd=messy).out  # in text, it says so
    assert "rollout-order and secret-recipients' count compare every shard's" in alone
    assert "`mcgen lint --merge`" not in run_cli("lint", cwd=messy).out


def test_a_shard_renders_only_its_clusters(messy: Path) -> None:
    """A template that fails on one cluster is an input error for the shard that holds
    it (and for one run), not for the others: they never render it."""
    fleet = load_fleet(str(messy / "fleets" / "bench.yaml"))
    holder = next(k for k in (1, 2, 3) if "c0004" in clusters_in_shard(fleet, (k, 3)))
    template = messy / "templates" / "comp03" / "service.yaml.j2"
    template.write_text(template.read_text() + (
        "{% if cluster.name == 'c0004' %}{{ values.missing.deeper }}{% endif %}\n"))
    assert run_cli("lint", cwd=messy).code == 2
    for k in (1, 2, 3):
        done = run_cli("lint", "--shard", f"{k}/3", cwd=messy)
        assert done.code == (2 if k == holder else 1), done.err
        assert ("comp03/service.yaml.j2" in done.err) == (k == holder)


def test_counted_findings_sum_over_shards(tmp_path: Path) -> None:
    """Argo CD with encrypted documents: one warning counting those of every shard."""
    cases = yaml.safe_load((ROOT / "tests" / "policies" / "cases" / "secrets.yaml").read_text())
    case = next(c for c in cases["cases"] if c["name"] == "argocd-does-not-decrypt")
    secret = case["templates"]["shared"]["s.yaml.j2"]
    repo = tmp_path / "argo"
    (repo / "templates" / "shared").mkdir(parents=True)
    (repo / "templates" / "shared" / "s.yaml.j2").write_text(secret)
    names = ["eu-a", "eu-b", "eu-c"]
    clusters = "".join(
        f"    - {{name: {n}, region: eu-west-1, kubernetesVersion: '1.31', apiServer: "
        f"'https://{n}.example:6443', secrets: {{age: [{AGE}]}}}}\n" for n in names)
    (repo / "fleets").mkdir()
    (repo / "fleets" / "t.yaml").write_text(
        "apiVersion: mcgen.dev/v1alpha1\nkind: Fleet\nmetadata: {name: t}\nspec:\n"
        "  output: {dir: clusters, engine: argocd, repoURL: https://x.example/r.git}\n"
        "  zones:\n    eu: {regions: [eu-west-1], secrets: {kms: "
        "['arn:aws:kms:eu-west-1:111122223333:key/eu-zone']}}\n"
        f"  clusters:\n{clusters}  components:\n"
        f"    - {{name: shared, template: shared, namespace: shop, placement: "
        f"{{clusters: [{', '.join(names)}]}}}}\n")
    assert run_cli("render", "-q", cwd=repo).code == 0
    whole = run_cli("lint", "--format", "json", cwd=repo)
    assert whole.code == 0, whole.err
    warned = [f["message"] for f in json.loads(whole.out)["findings"]]
    assert any(m.startswith("3 encrypted document(s)") for m in warned), warned
    one = json.loads(run_cli("lint", "--format", "json", "--shard", "1/3", cwd=repo).out)
    assert not any("encrypted document" in f["message"] for f in one["findings"])
    assert one["pending"][0]["counted"][0]["count"] == 1
    assert merged_shards(repo, tmp_path, 3)["findings"] == json.loads(whole.out)["findings"]


def test_a_report_with_broken_facts_is_a_usage_error(messy: Path, tmp_path: Path) -> None:
    part = report(messy, "--shard", "1/3")
    part["pending"][0]["running"][0]["order"] = ["x"]  # type: ignore[index]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(part))
    done = run_cli("lint", "--merge", str(broken))
    assert done.code == 2
    assert "broken.json: not a `mcgen lint --format json` report" in done.err


def test_a_shard_compares_its_share_in_parts(messy: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """output-drift of a shard planned a few clusters at a time (as a large fleet's is)
    finds what one plan of its share finds: stale, hand-edited, missing and leftover
    files, and the files beside the cluster folders for the first shard."""
    from mcgen.output import whole

    (messy / "clusters" / "c0004" / "comp01" / "deployment-comp01.yaml").unlink()
    (messy / "clusters" / "c0010" / "comp00" / "old.yaml").write_text(
        "# mcgen: bench sha256:" + "0" * 64 + "\n")
    stale = messy / "clusters" / "c0011" / "comp03" / "service-comp03.yaml"
    stale.write_text(stale.read_text().replace("port: 80", "port: 8080"))
    shards = [report(messy, "--shard", f"{k}/3") for k in (1, 2, 3)]
    monkeypatch.setattr(whole, "PART_CLUSTERS", 1)
    for k, one_plan in zip((1, 2, 3), shards, strict=True):
        assert report(messy, "--shard", f"{k}/3") == one_plan
    drift = {f["location"]["path"] for s in shards for f in s["findings"]  # type: ignore[attr-defined]
             if f["rule"] == "output-drift"}
    assert {"clusters/c0004/comp01/deployment-comp01.yaml",
            "clusters/c0007/comp02/service-comp02.yaml",
            "clusters/c0011/comp03/service-comp03.yaml", "clusters/c0010/comp00/old.yaml"} <= drift


def test_lint_in_parts_equals_one_process(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`lint --full` of a large fleet runs in parts over the cores (each a shard, merged):
    the same report as one process linting it whole, and the same problems, all of
    them, when clusters of two parts fail to render."""
    from mcgen.lint import parts

    whole = report(messy, "--full")
    monkeypatch.setattr(parts, "MIN_PART_CLUSTERS", 1)
    monkeypatch.setattr(parts, "PART_CLUSTERS", 2)
    assert report(messy, "--full") == whole
    template = messy / "templates" / "comp03" / "service.yaml.j2"
    template.write_text(template.read_text() + (
        "{% if cluster.name in ('c0001', 'c0010') %}{{ values.missing.deeper }}{% endif %}\n"))
    in_parts = run_cli("lint", "--full", cwd=messy)
    monkeypatch.setattr(parts, "MIN_PART_CLUSTERS", 10**6)
    alone = run_cli("lint", "--full", cwd=messy)
    assert in_parts == alone and in_parts.code == 2
    assert "c0001" in in_parts.err and "c0010" in in_parts.err


def test_a_removed_clusters_folder_is_the_first_shards(messy: Path, tmp_path: Path) -> None:
    """What is left of a cluster no longer in the fleet is reported once, by shard 1."""
    spec = messy / "fleets" / "bench.yaml"
    lines = spec.read_text().splitlines(keepends=True)
    spec.write_text("".join(line.replace(", c0011", "").replace("c0011, ", "")
                            for line in lines if "{name: c0011," not in line))
    whole = report(messy)
    gone = [f for f in whole["findings"]  # type: ignore[attr-defined]
            if f["location"]["path"].startswith("clusters/c0011/")]
    assert gone and all("no longer produced" in f["message"] for f in gone)
    first = report(messy, "--shard", "1/3")
    assert [f for f in first["findings"] if f in gone] == gone  # type: ignore[attr-defined]
    assert merged_shards(messy, tmp_path, 3)["findings"] == whole["findings"]
