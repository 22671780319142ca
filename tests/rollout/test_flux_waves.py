"""Flux wave refs in the rendered tree: every Kustomization of a cluster reads the
GitRepository of its cluster's wave, which follows the branch `mcgen/wave-<n>`. (The
objects pass the real Flux CRDs and `kubectl kustomize` in render/test_consumers.py.)"""

from __future__ import annotations

from pathlib import Path

import yaml
from render.test_golden import FIXTURES, render_case

from mcgen.fleet.load import load_fleet


def _flux_objects(tree: dict[str, bytes], cluster: str) -> list[dict[str, object]]:
    prefix = f"clusters/{cluster}/flux-system/"
    return [yaml.safe_load(text) for path, text in sorted(tree.items())
            if path.startswith(prefix) and not path.endswith("kustomization.yaml")]


def test_each_cluster_reads_its_waves_branch(tmp_path: Path) -> None:
    tree = render_case("flux-waves", tmp_path)
    fleet = load_fleet(str(FIXTURES / "cases" / "flux-waves.yaml"), str(FIXTURES))
    for name, cluster in fleet.clusters.items():
        objects = _flux_objects(tree, name)
        sources = [o for o in objects if o["kind"] == "GitRepository"]
        assert [s["spec"]["ref"] for s in sources] == [{"branch": f"mcgen/wave-{cluster.wave}"}]
        source = sources[0]["metadata"]["name"]
        kustomizations = [o for o in objects if o["kind"] == "Kustomization"]
        assert kustomizations
        assert {k["spec"]["sourceRef"]["name"] for k in kustomizations} == {source}


def test_the_wave_source_is_listed_beside_bootstraps(tmp_path: Path) -> None:
    tree = render_case("flux-waves", tmp_path)
    listing = yaml.safe_load(tree["clusters/us-b/flux-system/kustomization.yaml"])
    assert listing["resources"][:3] == ["gotk-components.yaml", "gotk-sync.yaml",
                                        "mcgen-wave-2.gitrepository.yaml"]


def test_without_wave_refs_kustomizations_read_bootstraps_source(tmp_path: Path) -> None:
    tree = render_case("flux", tmp_path)
    objects = _flux_objects(tree, "us-b")
    assert {o["kind"] for o in objects} == {"Kustomization"}
    assert {o["spec"]["sourceRef"]["name"] for o in objects} == {"flux-system"}
