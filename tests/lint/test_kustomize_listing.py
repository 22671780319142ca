"""kustomize-missing-file on kustomizations that list more than mcgen writes itself
(mcgen/lint/rules/kustomize_missing_file.py): mcgen lists only what it writes, but for the
bootstrap files, so these entries are put into the planned tree by hand."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from policies.policyrepo import write_repo

from mcgen.fleet.load import load_fleet
from mcgen.lint.engine import fleet_subject
from mcgen.lint.rules import kustomize_missing_file
from mcgen.output.layout import OutputFile, build_tree
from mcgen.render.engine import render_fleet

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - {name: a, region: us-east-1, kubernetesVersion: "1.31"}
    - {name: b, region: us-east-1, kubernetesVersion: "1.31"}
  components:
    - {name: web, template: web, namespace: web, placement: {clusters: [a, b]}}
"""
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"


def findings(tmp_path: Path, listed: dict[str, list[object]],
             shard: tuple[frozenset[str], bool] | None = None) -> list[str]:
    """Lint with these entries appended to (or making) the kustomizations named."""
    spec = write_repo(tmp_path, FLEET, {"web": {"cm.yaml.j2": CONFIG_MAP}})
    fleet = load_fleet(str(spec))
    rendered = render_fleet(fleet)
    tree = dict(build_tree(rendered))
    for path, entries in listed.items():
        known = tree.get(path) or OutputFile(path, "", {"apiVersion": "v1", "resources": []})
        resources = known.body.get("resources", [])
        assert isinstance(resources, list)
        tree[path] = replace(known, body={**known.body, "resources": [*resources, *entries]})
    subject = replace(fleet_subject(fleet, rendered, tree, datetime.date(2026, 1, 1)),
                      shard=shard)
    return [f"{f.location} {f.target}: {f.message}" for f in kustomize_missing_file.check(subject)]


def test_entries_that_resolve_to_the_tree_or_the_disk_are_fine(tmp_path: Path) -> None:
    (tmp_path / "clusters/a/extra").mkdir(parents=True)
    (tmp_path / "clusters/a/extra/kustomization.yaml").write_text("resources: []\n")
    (tmp_path / "clusters/a/on-disk.yaml").write_text("kind: ConfigMap\n")
    assert findings(tmp_path, {"clusters/a/kustomization.yaml": [
        ".", "", "../b/web", "../a/web/configmap-web.yaml", "web/", "extra", "on-disk.yaml",
        5, None]}) == []


def test_an_entry_the_tree_lacks_is_reported_on_its_line(tmp_path: Path) -> None:
    """Cluster a's kustomization: two header lines, apiVersion, kind, `resources:` and
    `- web` (line 6), then the entries added (lines 7-9)."""
    assert findings(tmp_path, {"clusters/a/kustomization.yaml": [
        "gone.yaml", "../c", "gotk-sync.yaml"]}) == [
        "clusters/a/kustomization.yaml:7:3 a/a: lists gone.yaml, which clusters/a/ lacks; "
        "kubectl kustomize and Flux fail on this folder: run `mcgen render`",
        "clusters/a/kustomization.yaml:8:3 a/a: lists ../c, which clusters/a/ lacks; "
        "kubectl kustomize and Flux fail on this folder: run `mcgen render`",
        "clusters/a/kustomization.yaml:9:3 a/a: lists gotk-sync.yaml, which clusters/a/ "
        "lacks: `flux bootstrap` writes it, and until it has, kubectl kustomize and Flux fail "
        "on cluster 'a'; bootstrap it first (`flux bootstrap git --path clusters/a ...`), or "
        "set `includeBootstrap: false` on that cluster until then"]


def test_outside_the_cluster_folders_no_cluster_is_named(tmp_path: Path) -> None:
    assert findings(tmp_path, {"base/kustomization.yaml": ["gotk-sync.yaml"],
                               "clusters/kustomization.yaml": ["x.yaml"]}) == [
        "base/kustomization.yaml:3:3 base/kustomization.yaml: lists gotk-sync.yaml, which "
        "base/ lacks; kubectl kustomize and Flux fail on this folder: run `mcgen render`",
        "clusters/kustomization.yaml:3:3 clusters/kustomization.yaml: lists x.yaml, which "
        "clusters/ lacks; kubectl kustomize and Flux fail on this folder: run `mcgen render`"]


def test_a_shard_checks_its_own_clusters_kustomizations(tmp_path: Path) -> None:
    listed: dict[str, list[object]] = {"clusters/a/kustomization.yaml": ["gone.yaml"],
                                       "clusters/b/kustomization.yaml": ["gone.yaml"]}
    assert [f.split()[0] for f in findings(tmp_path / "1", listed,
                                           (frozenset({"b"}), True))] == [
        "clusters/b/kustomization.yaml:7:3"]


def test_other_files_listing_resources_are_no_kustomizations(tmp_path: Path) -> None:
    """An object of the tree with a top-level `resources` list (some CRDs have one)."""
    assert findings(tmp_path, {"clusters/a/web/configmap-web.yaml": ["gone.yaml"]}) == []


def test_entries_of_a_component_folder(tmp_path: Path) -> None:
    """`..` from clusters/a/web is the cluster folder (in the tree); a bootstrap file is
    missing there like any file, but names cluster a; an entry YAML must escape is
    reported on the file's first line (no line shows it as written)."""
    assert findings(tmp_path, {"clusters/a/web/kustomization.yaml": [
        "..", "gotk-sync.yaml", "tab\there"]}) == [
        "clusters/a/web/kustomization.yaml:9:3 a/web: lists gotk-sync.yaml, which "
        "clusters/a/web/ lacks: `flux bootstrap` writes it, and until it has, kubectl "
        "kustomize and Flux fail on cluster 'a'; bootstrap it first (`flux bootstrap git "
        "--path clusters/a ...`), or set `includeBootstrap: false` on that cluster until then",
        "clusters/a/web/kustomization.yaml:1:3 a/web: lists tab\there, which clusters/a/web/ "
        "lacks; kubectl kustomize and Flux fail on this folder: run `mcgen render`"]
