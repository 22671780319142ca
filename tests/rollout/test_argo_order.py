"""Argo CD order: sync waves follow dependsOn (a three-deep chain), CRDs first inside an
Application. The objects also pass the real Argo CD CRDs (render/test_consumers.py)."""

from __future__ import annotations

from pathlib import Path

import yaml
from render.test_golden import FIXTURES, render_case

from mcgen.fleet.load import load_fleet
from mcgen.output.engines.argo_order import SYNC_WAVE


def _wave(text: bytes) -> int:
    body = yaml.safe_load(text)
    return int((body["metadata"].get("annotations") or {}).get(SYNC_WAVE, "0"))


def test_sync_waves_follow_a_three_deep_dependency_chain(tmp_path: Path) -> None:
    tree = render_case("argocd-order", tmp_path)
    waves = {name: _wave(tree[f"argocd/argoorder/application-us-a-{name}.yaml"])
             for name in ("operator", "widgets", "tools")}
    assert waves == {"operator": 0, "widgets": 1, "tools": 2}
    fleet = load_fleet(str(FIXTURES / "cases" / "argocd-order.yaml"), str(FIXTURES))
    for component in fleet.components.values():
        for dep in component.depends_on:
            assert waves[component.name] > waves[dep.component]


def test_retries_only_where_a_dependency_must_come_up_first(tmp_path: Path) -> None:
    tree = render_case("argocd-order", tmp_path)
    retry = {name: "retry" in yaml.safe_load(
        tree[f"argocd/argoorder/application-us-a-{name}.yaml"])["spec"]["syncPolicy"]
        for name in ("operator", "widgets", "tools")}
    assert retry == {"operator": False, "widgets": True, "tools": True}


def test_crds_precede_their_resources_inside_one_application(tmp_path: Path) -> None:
    tree = render_case("argocd-order", tmp_path)
    folder = "clusters/us-a/operator/"
    assert _wave(tree[folder + "customresourcedefinition-widgets.example.com.yaml"]) == -1
    assert _wave(tree[folder + "deployment-widget-controller.yaml"]) == 0
    assert _wave(tree[folder + "widget-default.yaml"]) == 1
    # A Widget in another Application waits for that Application instead.
    assert _wave(tree["clusters/us-a/widgets/widget-widgets.yaml"]) == 0


def test_flux_and_kustomize_trees_carry_no_sync_waves(tmp_path: Path) -> None:
    for case in ("flux", "kustomize", "flux-waves"):
        tree = render_case(case, tmp_path / case)
        assert not [p for p, text in tree.items() if SYNC_WAVE.encode() in text]
