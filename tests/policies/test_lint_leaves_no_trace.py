"""A lint writes nothing into a repository that never rendered: output-drift compares
under the render lock, but takes it without making mcgen's state folder
(mcgen/lint/rules/output_drift.py, `locked(create=False)`)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from policyrepo import write_repo

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - {name: a, region: us-east-1, kubernetesVersion: "1.31"}
  components:
    - {name: app, template: app, namespace: app, placement: {clusters: [a]}}
"""
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\n"


def listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_a_lint_of_a_never_rendered_repository_leaves_it_as_it_was(tmp_path: Path) -> None:
    write_repo(tmp_path, FLEET, {"app": {"cm.yaml.j2": CONFIG_MAP}})
    before = listing(tmp_path)
    result = run_cli("lint", "--select", "output-drift", cwd=tmp_path)
    assert result.code == 1, result.out + result.err
    assert "the tree was never rendered" in result.out
    assert listing(tmp_path) == before  # no .mcgen/, no clusters/
