"""`kustomize:` components, built by the real `kubectl kustomize` (or `kustomize`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

from sources.fleetrepo import DEPLOYMENT, commit_all, make_repo, render_ok, spec_line, write

pytestmark = pytest.mark.skipif(
    not (shutil.which("kubectl") or shutil.which("kustomize")),
    reason="neither kubectl nor kustomize is installed here")

COMPONENT = """    - name: web
      namespace: web
      placement: {groups: [web]}
      kustomize: kustomize/web/overlays/{cluster}
"""
PATCH = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: REPLICAS}
"""


def overlay(replicas: int, extra: str = "") -> dict[str, str]:
    return {
        "kustomization.yaml": f"resources: [../../base]\n{extra}patches:\n- path: replicas.yaml\n",
        "replicas.yaml": PATCH.replace("REPLICAS", str(replicas)),
    }


def files(**overlays: dict[str, str]) -> dict[str, str]:
    found = {
        "kustomize/web/base/kustomization.yaml": "resources: [deployment.yaml, service.yaml]\n",
        "kustomize/web/base/deployment.yaml": DEPLOYMENT,
        "kustomize/web/base/service.yaml": (
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
            "spec: {selector: {app: web}, ports: [{port: 80}]}\n"),
    }
    for cluster, content in overlays.items():
        for name, text in content.items():
            found[f"kustomize/web/overlays/{cluster}/{name}"] = text
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", COMPONENT, files(alpha=overlay(3), beta=overlay(5)))


@pytest.mark.slow
def test_each_cluster_builds_its_overlay_with_mcgen_labels_and_namespace(repo: Path) -> None:
    render_ok(repo)
    alpha = (repo / "clusters/alpha/web/deployment-web.yaml").read_text()
    beta = (repo / "clusters/beta/web/deployment-web.yaml").read_text()
    assert "replicas: 3" in alpha and "replicas: 5" in beta
    for text in (alpha, beta):
        assert "mcgen.dev/component: web" in text and "namespace: web" in text
        assert "config.kubernetes.io/origin" not in text  # mcgen's own annotation, removed
    assert "kustomize/web/overlays/alpha" in alpha  # the header names the source
    assert (repo / "clusters/alpha/web/service-web.yaml").is_file()
    assert (repo / "clusters/alpha/web/namespace-web.yaml").is_file()
    result = run_cli("lint", cwd=repo)  # linted: the replicas differ, as the overlays say
    assert result.code == 1 and "[replica-drift]" in result.out and "1 error," in result.out


def test_a_missing_overlay_is_an_error_at_the_component_line_unless_optional(
        tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", COMPONENT, files(alpha=overlay(3)))
    result = run_cli("render", cwd=repo)
    line = spec_line(repo, "kustomize: kustomize/web")
    assert result.code == 2
    assert f"fleets/demo.yaml:{line}:" in result.err
    assert "kustomize/web/overlays/beta/" in result.err and "optional: true" in result.err
    assert not (repo / "clusters").exists()
    write(repo, "fleets/demo.yaml", (repo / "fleets/demo.yaml").read_text().replace(
        "      kustomize:", "      optional: true\n      kustomize:"))
    render_ok(repo)
    assert (repo / "clusters/alpha/web/deployment-web.yaml").is_file()
    assert not list((repo / "clusters/beta/web").glob("deployment-*"))


def test_a_build_error_is_exit_2_with_kustomize_message_and_both_locations(
        tmp_path: Path) -> None:
    broken = overlay(3)
    broken["kustomization.yaml"] = "resources:\n- ../../base\n- missing.yaml\n"
    repo = make_repo(tmp_path / "repo", COMPONENT, files(alpha=broken, beta=overlay(5)))
    result = run_cli("render", cwd=repo)
    assert result.code == 2, result.err
    error = next(line for line in result.err.splitlines() if "kustomize build" in line)
    assert error.startswith("kustomize/web/overlays/alpha/kustomization.yaml:3:")
    assert f"(fleets/demo.yaml:{spec_line(repo, 'kustomize: kustomize/web')}:" in error
    assert "missing.yaml" in error and "cluster 'alpha'" in error
    assert "Traceback" not in result.err
    assert not (repo / "clusters").exists()


def test_a_remote_base_is_refused_offline(tmp_path: Path) -> None:
    remote = overlay(3)
    remote["kustomization.yaml"] = (
        "resources:\n- ../../base\n- https://github.com/example/app//deploy?ref=v1\n")
    repo = make_repo(tmp_path / "repo", COMPONENT, files(alpha=remote, beta=overlay(5)))
    result = run_cli("render", cwd=repo)
    assert result.code == 2
    assert "kustomize/web/overlays/alpha/kustomization.yaml:3:3: error: remote base" in result.err
    assert "vendor it" in result.err


def test_a_base_outside_the_repository_is_refused(tmp_path: Path) -> None:
    outside = overlay(3)
    outside["kustomization.yaml"] = "resources:\n- ../../../../../elsewhere\n"
    repo = make_repo(tmp_path / "repo", COMPONENT, files(alpha=outside, beta=overlay(5)))
    result = run_cli("render", cwd=repo)
    assert result.code == 2 and "outside the repository" in result.err


def test_without_any_kustomize_on_path_the_error_says_what_to_install(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run_cli("render", cwd=repo)
    assert result.code == 2
    assert "neither `kustomize` nor `kubectl` is on PATH" in result.err
    assert f"fleets/demo.yaml:{spec_line(repo, 'kustomize: kustomize/web')}:" in result.err


@pytest.mark.slow
def test_render_check_sees_a_change_to_an_overlay_patch_and_to_a_base(repo: Path) -> None:
    render_ok(repo)
    assert run_cli("render", "--check", cwd=repo).code == 0  # the no-op fast path
    patch = repo / "kustomize/web/overlays/beta/replicas.yaml"
    patch.write_text(PATCH.replace("REPLICAS", "7"))
    result = run_cli("render", "--check", cwd=repo)
    assert result.code == 1 and "clusters/beta/web/deployment-web.yaml" in result.out
    assert "clusters/alpha/web/deployment-web.yaml" not in result.out
    render_ok(repo)
    assert "replicas: 7" in (repo / "clusters/beta/web/deployment-web.yaml").read_text()
    base = repo / "kustomize/web/base/service.yaml"
    base.write_text(base.read_text().replace("port: 80", "port: 8080"))
    result = run_cli("render", "--check", cwd=repo)
    assert result.code == 1 and "clusters/alpha/web/service-web.yaml" in result.out


@pytest.mark.slow
def test_only_changed_overlays_are_built_again_and_warm_equals_cold(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The real kustomize, behind a wrapper that counts its runs.
    real = shutil.which("kustomize") or shutil.which("kubectl")
    assert real is not None
    log, wrapper = tmp_path / "builds.log", tmp_path / "bin" / Path(real).name
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    render_ok(repo)
    before = snapshot(repo / "clusters")
    assert len(log.read_text().splitlines()) == 2  # one build per overlay
    render_ok(repo)
    assert len(log.read_text().splitlines()) == 2  # nothing changed: nothing built
    patch = repo / "kustomize/web/overlays/beta/replicas.yaml"
    patch.write_text(PATCH.replace("REPLICAS", "4"))
    render_ok(repo)
    assert len(log.read_text().splitlines()) == 3  # beta's overlay alone
    patch.write_text(PATCH.replace("REPLICAS", "5"))
    render_ok(repo)
    # Back as before: built again (the memo keeps only the last run's texts), the same.
    assert len(log.read_text().splitlines()) == 4
    assert snapshot(repo / "clusters") == before


@pytest.mark.slow
def test_diff_and_ci_see_a_change_to_an_overlay_patch(repo: Path) -> None:
    render_ok(repo)
    commit_all(repo, "web on two clusters")
    patch = repo / "kustomize/web/overlays/beta/replicas.yaml"
    patch.write_text(PATCH.replace("REPLICAS", "9"))
    render_ok(repo)
    commit_all(repo, "beta: 9 replicas")
    result = run_cli("diff", "--base", "HEAD~1", cwd=repo)
    assert result.code == 0, result.err
    assert "beta" in result.out and "spec.replicas" in result.out
    assert "alpha" not in result.out
    result = run_cli("ci", "--base", "HEAD~1", cwd=repo)
    assert "~ apps/v1 Deployment web/web\n        spec.replicas: 5 → 9" in result.out, result.err


def test_findings_name_the_kustomize_file_the_object_came_from(tmp_path: Path) -> None:
    base = files(alpha=overlay(3), beta=overlay(3))
    base["kustomize/web/base/deployment.yaml"] = DEPLOYMENT.replace(
        "web:1.0.0", "web:latest")
    repo = make_repo(tmp_path / "repo", COMPONENT, base)
    result = run_cli("lint", cwd=repo)
    assert result.code == 1
    line = next(x for x in result.out.splitlines()
                if "[image-tag]" in x and "clusters/alpha" in x)
    assert line.startswith("clusters/alpha/web/deployment-web.yaml:")
    block = result.out.split(line, 1)[1].split("\nclusters/", 1)[0]
    start = next(n for n, x in enumerate(DEPLOYMENT.splitlines(), 1) if "name: web" in x)
    assert f"kustomize: kustomize/web/base/deployment.yaml:{start}:1" in block
    assert f"fleet: fleets/demo.yaml:{spec_line(repo, '- name: web')}:" in block
