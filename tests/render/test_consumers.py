"""What Argo CD and Flux consume: kustomize builds, and objects valid for the real CRDs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT

from render.test_golden import CASES, FIXTURES

KUBECTL = shutil.which("kubectl")


def cluster_folders(tree: Path) -> Iterator[Path]:
    for top in sorted((tree / "clusters").iterdir()):
        if top.is_dir():
            yield top
            yield from sorted(p for p in top.iterdir() if p.is_dir())


def trees() -> list[Path]:
    return [ROOT, *(FIXTURES / "expected" / case for case in CASES)]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("tree", trees(), ids=lambda p: p.name)
def test_kubectl_kustomize_builds_every_generated_folder(tree: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(tree / "clusters", copy / "clusters")
    for folder in (copy / "clusters").glob("*/flux-system"):
        # With includeBootstrap the folder lists what `flux bootstrap` writes: stand those in.
        listing = (folder / "kustomization.yaml").read_text()
        for name in ("gotk-components.yaml", "gotk-sync.yaml"):
            if name in listing:
                (folder / name).write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                           f"  name: {name[:-5]}\n  namespace: flux-system\n")
    if (tree / "argocd").is_dir():
        shutil.copytree(tree / "argocd", copy / "argocd")
    folders = [*cluster_folders(copy), *(p for p in (copy / "argocd").glob("*") if p.is_dir())]
    assert folders
    for folder in folders:
        done = subprocess.run([KUBECTL or "kubectl", "kustomize", str(folder)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{folder}: {done.stderr}"
        assert "kind:" in done.stdout


CRD_FILES = {
    ("kustomize.toolkit.fluxcd.io", "Kustomization"):
        "kustomize-controller/config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml",
    ("source.toolkit.fluxcd.io", "GitRepository"):
        "source-controller/config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml",
    ("argoproj.io", "Application"): "argo-cd/manifests/crds/application-crd.yaml",
    ("argoproj.io", "ApplicationSet"): "argo-cd/manifests/crds/applicationset-crd.yaml",
    ("argoproj.io", "AppProject"): "argo-cd/manifests/crds/appproject-crd.yaml",
}


def crd_schema(path: Path, version: str) -> dict[str, object]:
    crd = yaml.safe_load(path.read_text())
    for entry in crd["spec"]["versions"]:
        if entry["name"] == version:
            assert entry.get("served", True), f"{path}: {version} is not served"
            schema: dict[str, object] = entry["schema"]["openAPIV3Schema"]
            return schema
    raise AssertionError(f"{path}: no version {version}")


def unknown_fields(value: object, schema: dict[str, object], at: str = "") -> Iterator[str]:
    """Fields the schema does not declare (what a strict validator would reject)."""
    if schema.get("x-kubernetes-preserve-unknown-fields"):
        return
    properties = schema.get("properties")
    if isinstance(value, dict) and isinstance(properties, dict):
        for key, child in value.items():
            if key not in properties and not schema.get("additionalProperties"):
                yield f"{at}.{key}"
            elif key in properties:
                yield from unknown_fields(child, properties[key], f"{at}.{key}")
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        for index, child in enumerate(value):
            yield from unknown_fields(child, items, f"{at}[{index}]")


def gitops_objects() -> Iterator[tuple[str, dict[str, object]]]:
    for tree in trees():
        for path in sorted(tree.glob("clusters/*/flux-system/*.yaml")) + sorted(
                tree.glob("argocd/*/*.yaml")):
            body = yaml.safe_load(path.read_text())
            if (body["apiVersion"].split("/")[0], body["kind"]) in CRD_FILES:
                yield str(path.relative_to(tree.parent)), body


@pytest.mark.parametrize("where, body", list(gitops_objects()), ids=lambda v: str(v)[:60])
def test_gitops_objects_are_valid_for_the_real_crds(
        where: str, body: dict[str, object], corpora: Path) -> None:
    group, version = str(body["apiVersion"]).split("/")
    schema = crd_schema(corpora / CRD_FILES[(group, str(body["kind"]))], version)
    jsonschema.Draft7Validator(schema).validate(body)
    assert list(unknown_fields(body, schema)) == []


def test_every_gitops_kind_is_exercised() -> None:
    kinds = {str(body["kind"]) for _, body in gitops_objects()}
    assert kinds == {"Kustomization", "GitRepository", "Application", "ApplicationSet",
                     "AppProject"}
