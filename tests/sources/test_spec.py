"""The fleet spec side of sources (FLEET-SPEC section 8): one source per component, paths
that stay in the repository, the chart's field shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from mcgen.fleet.load import load_fleet
from sources.fleetrepo import SPEC, make_repo, spec_line

PLACED = "    - name: web\n      placement: {groups: [web]}\n"


def render_error(tmp_path: Path, component: str) -> tuple[Path, str]:
    repo = make_repo(tmp_path / "repo", component, {"templates/web/a.yaml.j2": ""})
    result = run_cli("render", cwd=repo)
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err
    assert not (repo / "clusters").exists()
    return repo, result.err


def test_a_component_without_a_source_is_an_error_at_its_line(tmp_path: Path) -> None:
    repo, err = render_error(tmp_path, PLACED)
    assert f"{SPEC}:{spec_line(repo, '- name: web')}:" in err
    assert "one of `template:`, `chart:`, `kustomize:`, `manifests:`" in err


def test_a_component_with_two_sources_is_an_error_naming_both(tmp_path: Path) -> None:
    repo, err = render_error(tmp_path, PLACED + "      template: web\n"
                                                "      manifests: files\n")
    assert f"{SPEC}:{spec_line(repo, '- name: web')}:" in err
    assert "names exactly one source, this one names 2 (template, manifests)" in err


@pytest.mark.parametrize("path", ["../outside", "/etc", "a/../../b", "a//b", "a\\\\b"])
def test_a_path_that_leaves_the_repository_is_refused_at_its_line(tmp_path: Path,
                                                                 path: str) -> None:
    repo, err = render_error(tmp_path, PLACED + f"      kustomize: '{path}'\n")
    assert f"{SPEC}:{spec_line(repo, 'kustomize:')}:" in err


def test_a_misspelt_source_field_is_an_unknown_field(tmp_path: Path) -> None:
    _, err = render_error(tmp_path, PLACED + "      kustomise: overlays\n")
    assert "unknown field 'kustomise'" in err


def test_the_chart_source_has_its_shape_in_the_model(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", PLACED + (
        "      chart: {path: charts/web, values: templates/web/values.yaml.j2, "
        "release: web-release}\n"), {})
    source = load_fleet(str(repo / SPEC)).components["web"].source
    assert (source.kind, source.path, source.values, source.release) == (
        "chart", "charts/web", "templates/web/values.yaml.j2", "web-release")
    result = run_cli("render", cwd=repo)
    assert result.code == 2  # no charts/web folder (and no chart source before Helm lands)
    spec = repo / SPEC
    spec.write_text(spec.read_text().replace("release: web-release", "version: 1"))
    assert "unknown field 'version'" in run_cli("render", cwd=repo).err


def test_cluster_in_a_path_names_each_cluster_folder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", PLACED + "      manifests: files/{cluster}\n", {
        "files/alpha/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"})
    result = run_cli("render", cwd=repo)
    assert result.code == 2 and "files/beta/" in result.err and "files/alpha" not in result.err
