"""`mcgen lint FOLDER` on a plain kustomize folder and on `kind: List` files (issue #16).

A kustomize folder's `kustomization.yaml` (which may have no apiVersion or kind) and the
patches it names are not objects: before, the first was refused and a strategic-merge
patch was judged as a whole Deployment. A `kind: List` is its items, each located at
its own line, as kubectl applies them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27.2
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 64Mi}
"""
PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
ITEM = "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {namespace: shop, "
FILES = {
    "kustomization.yaml": "resources: [deployment.yaml, list.yaml]\n"
                          "patches:\n  - path: patch-replicas.yaml\n"
                          "  - path: patch-ops.yaml\n    target: {kind: Deployment, name: web}\n"
                          "patchesStrategicMerge: [sub/patch-image.yaml]\n",
    "deployment.yaml": DEPLOYMENT,
    "patch-replicas.yaml": PATCH + "spec: {replicas: 3}\n",
    "patch-ops.yaml": "- op: replace\n  path: /spec/replicas\n  value: 2\n",
    "sub/patch-image.yaml": PATCH + "spec:\n  template:\n    spec:\n      containers:\n"
                            "        - {name: web, image: 'nginx:latest'}\n",
    "list.yaml": "apiVersion: v1\nkind: List\nitems:\n"
                 + ITEM + "name: ok}\n" + ITEM + "name: Bad}\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / "app" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "app" / name).write_text(text)
    return tmp_path


def test_kustomize_files_are_not_objects_and_list_items_are(folder: Path) -> None:
    result = run_cli("lint", "app", "--format", "json", cwd=folder)
    assert result.code == 1, result.err  # only the List's second item is wrong
    assert "patch" not in result.out and "kustomization.yaml" not in result.out, result.out
    assert '"rule": "object-name"' in result.out
    assert '"path": "app/list.yaml"' in result.out and '"line": 9' in result.out, result.out


def test_the_items_of_a_list_are_counted(folder: Path) -> None:
    (folder / "app/list.yaml").write_text(FILES["list.yaml"].replace("name: Bad", "name: good"))
    result = run_cli("lint", "app", cwd=folder)
    assert result.code == 0, result.out + result.err
    assert "3 objects" in result.out + result.err, result.out + result.err


def test_an_item_that_is_no_object_is_located(folder: Path) -> None:
    (folder / "app/list.yaml").write_text("apiVersion: v1\nkind: List\nitems:\n"
                                          "  - {kind: ConfigMap}\n")
    result = run_cli("lint", "app", cwd=folder)
    assert result.code == 2
    assert "app/list.yaml:4:1: error: a Kubernetes object needs apiVersion" in result.err


def test_a_patch_named_directly_is_still_linted(folder: Path) -> None:
    """Only a folder is read as kustomize reads it; a file given by name is linted."""
    result = run_cli("lint", "app/sub/patch-image.yaml", cwd=folder)
    assert result.code == 1 and "image-tag" in result.out, result.out


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not on PATH")
def test_the_folder_is_one_kubectl_kustomize_builds(folder: Path) -> None:
    built = subprocess.run(["kubectl", "kustomize", str(folder / "app")], capture_output=True,
                           text=True, check=False)
    assert built.returncode == 0, built.stderr
    assert "nginx:latest" in built.stdout and "replicas: 2" in built.stdout
