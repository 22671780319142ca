"""output-stray-file on a rendered tree with hand-made files of every kind
(mcgen/lint/rules/output_stray_file.py): what is reported, with which target, and what
is left alone (hidden, bootstrap, linked, special, too large to read, mcgen's own)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from conftest import run_cli
from policies.policyrepo import write_repo

from mcgen.fleet.load import load_fleet
from mcgen.lint.engine import LintRequest, lint
from mcgen.shard import clusters_in_shard

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: flux, repoURL: https://x.example/r.git}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - {name: a, region: us-east-1, kubernetesVersion: "1.31"}
    - {name: b, region: us-east-1, kubernetesVersion: "1.31"}
  components:
    - {name: web, template: web, namespace: web, placement: {clusters: [a, b]}}
"""
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"
MIB = 2**20


def rendered(tmp_path: Path) -> Path:
    write_repo(tmp_path, FLEET, {"web": {"cm.yaml.j2": CONFIG_MAP}})
    assert run_cli("render", "-q", cwd=tmp_path).code == 0
    return tmp_path


def strays(root: Path, shard: tuple[int, int] | None = None) -> list[str]:
    result = lint(LintRequest(targets=(str(root / "fleets/test.yaml"),), cwd=str(root),
                              select=("output-stray-file",), shard=shard,
                              today=datetime.date(2026, 1, 1)))
    return [f"{f.location.path} {f.target} {f.severity.value}" for f in result.findings]


def test_every_manifest_suffix_in_a_component_folder_or_beside_them(tmp_path: Path) -> None:
    root = rendered(tmp_path)
    for name in ("a/web/extra.yml", "a/web/extra.json", "a/web/gotk-sync.yaml",
                 "a/notes.yaml", "a/flux-system/extra.yaml", "a/web/notes.txt"):
        (root / "clusters" / name).write_text("kind: ConfigMap\n")
    assert strays(root) == [
        "clusters/a/flux-system/extra.yaml a/* warning",
        "clusters/a/notes.yaml a/* warning",
        "clusters/a/web/extra.json a/web warning",
        "clusters/a/web/extra.yml a/web warning",
        "clusters/a/web/gotk-sync.yaml a/web warning",  # only flux-system's is bootstrap's
    ]


def test_what_is_left_alone(tmp_path: Path) -> None:
    root = rendered(tmp_path)
    web = root / "clusters/a/web"
    (web / ".hidden.yaml").write_text("kind: ConfigMap\n")
    (root / "clusters/a/flux-system/gotk-components.yaml").write_text("# flux bootstrap\n")
    os.symlink(web / "configmap-web.yaml", web / "link.yaml")
    os.mkfifo(web / "pipe.yaml")
    with open(web / "big.yaml", "wb") as handle:  # sparse: one byte over the limit
        handle.truncate(64 * MIB + 1)
    # mcgen's own file, kept aside: its stamp still says whose it is
    (web / "configmap-web.yaml").rename(web / "old-configmap.yaml")
    found = strays(root)
    assert found == [], found


def test_a_file_of_exactly_the_largest_size_read_is_read(tmp_path: Path) -> None:
    root = rendered(tmp_path)
    with open(root / "clusters/b/web/big.yaml", "wb") as handle:
        handle.truncate(64 * MIB)
    assert strays(root) == ["clusters/b/web/big.yaml b/web warning"]


def test_a_shard_reports_its_own_clusters_only(tmp_path: Path) -> None:
    root = rendered(tmp_path)
    (root / "clusters/b/web/extra.yaml").write_text("kind: ConfigMap\n")
    fleet = load_fleet(str(root / "fleets/test.yaml"))
    shards = [set(clusters_in_shard(fleet, (k, 2))) for k in (1, 2)]
    assert sorted(map(sorted, shards)) == [["a"], ["b"]]
    holder = 1 if "b" in shards[0] else 2
    assert strays(root, (holder, 2)) == ["clusters/b/web/extra.yaml b/web warning"]
    assert strays(root, (3 - holder, 2)) == []


def unrendered(root: Path, shard: tuple[int, int] | None = None) -> list[str]:
    """template-unrendered-file (mcgen/lint/rules/template_unrendered_file.py)."""
    result = lint(LintRequest(targets=(str(root / "fleets/test.yaml"),), cwd=str(root),
                              select=("template-unrendered-file",), shard=shard,
                              today=datetime.date(2026, 1, 1)))
    return [f"{f.location.path} {f.target}" for f in result.findings]


def test_a_stray_template_file_is_reported_by_the_first_shard_alone(tmp_path: Path) -> None:
    """Template folders are fleet files: shard 1 of N reports them, the others do not."""
    root = rendered(tmp_path)
    (root / "templates/web/svc.yaml").write_text("kind: Service\n")
    assert unrendered(root) == ["templates/web/svc.yaml */web"]
    assert unrendered(root, (1, 2)) == ["templates/web/svc.yaml */web"]
    assert unrendered(root, (2, 2)) == []


def test_plain_manifests_have_no_template_folders(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(CONFIG_MAP)
    result = lint(LintRequest(targets=(str(tmp_path / "cm.yaml"),), cwd=str(tmp_path),
                              select=("template-unrendered-file", "output-stray-file"),
                              today=datetime.date(2026, 1, 1)))
    assert result.findings == ()


def test_a_shared_template_folder_is_reported_once_and_other_sources_never(
        tmp_path: Path) -> None:
    fleet = FLEET + (
        "    - {name: api, template: web, namespace: api, placement: {clusters: [a]}}\n"
        "    - {name: raw, manifests: raw, namespace: raw, placement: {clusters: [a]}}\n")
    templates = {"web": {"cm.yaml.j2": CONFIG_MAP, "svc.yaml": "kind: Service\n",
                         ".hidden.yaml": "a: 1\n", "_aside.yaml": "a: 1\n"}}
    write_repo(tmp_path, fleet, templates)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw/cm.yaml").write_text(CONFIG_MAP.replace("web", "raw"))
    assert unrendered(tmp_path) == ["templates/web/svc.yaml */web"]


def test_the_listing_is_os_walks(tmp_path: Path) -> None:
    """The rule lists a cluster folder in one loop: the files os.walk finds, in its
    order (files sorted before folders, depth first), never through a linked folder."""
    from mcgen.lint.rules.output_stray_file import _files

    top = tmp_path / "clusters" / "a"
    for folder in ("", "web", "web/b", "web/b/c", "web-x", "webx", "Z"):
        (top / folder).mkdir(parents=True, exist_ok=True)
        for name in ("x.yaml", "B.yaml", "a.json", ".hidden"):
            (top / folder / name).write_text("kind: ConfigMap\n")
    os.symlink(top / "web", top / "linked-folder")
    os.symlink(top / "x.yaml", top / "linked-file.yaml")
    os.symlink(tmp_path / "nowhere", top / "broken.yaml")

    def walked() -> list[str]:
        found = []
        for current, folders, files in os.walk(top):
            folders.sort()
            relative = os.path.relpath(current, tmp_path)
            found += [f"{relative}/{name}" for name in sorted(files)]
        return found

    listed = list(_files(str(tmp_path), "clusters/a"))
    assert listed == walked() and len(listed) == 7 * 4 + 2  # and the two links to files
    assert not [path for path in listed if "linked-folder/" in path]
    assert list(_files(str(tmp_path), "clusters/none")) == []
