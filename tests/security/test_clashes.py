"""Names and folders that collide with what mcgen writes itself (issue #16, classes 3, 9).

Each is an input error at the line to change, nothing is written, and the other party
of the clash is named: a component named like a folder mcgen writes (`flux-system`),
an object whose file would be the folder's `kustomization.yaml`, two objects whose
file names are one (case, dots), a cluster listed twice in a group, two Argo CD
Applications with one name, two fleet specs with one `metadata.name`; and output
folders inside mcgen's state folder, inside the fleet's own inputs, inside another
fleet's output folder, through `..` or through a symlink.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

SPEC = "fleets/acme.yaml"


def edit(repo: Path, old: str, new: str, path: str = SPEC) -> None:
    text = (repo / path).read_text()
    assert old in text, old
    (repo / path).write_text(text.replace(old, new, 1))


def line_of(repo: Path, pattern: str, path: str = SPEC) -> int:
    lines = (repo / path).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if re.search(pattern, line))


def refused(repo: Path, *expected: str) -> str:
    before = snapshot(repo)
    result = run_cli("render", cwd=repo)
    assert result.code == 2, result.out + result.err
    for text in expected:
        assert text in result.err, result.err
    assert "Traceback" not in result.err
    assert snapshot(repo) == before  # nothing written
    return result.err


def test_a_component_named_flux_system(example_repo: Path) -> None:
    edit(example_repo, "    - name: cert-issuer\n", "    - name: flux-system\n")
    line = line_of(example_repo, r"- name: flux-system")
    err = refused(example_repo, f"{SPEC}:{line}:", "clusters/us-west/flux-system/kustomization."
                  "yaml, which the flux files of cluster 'us-west'")
    assert "component 'flux-system' on cluster 'us-west'" in err


def test_an_object_whose_file_is_kustomization_yaml(example_repo: Path) -> None:
    (example_repo / "templates/storefront/zz.yaml.j2").write_text(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
        "metadata:\n  name: '-'\n")
    refused(example_repo, "templates/storefront/zz.yaml.j2:1:1: error: Kustomization shop/- "
            "of templates/storefront/zz.yaml.j2 would write clusters/us-west/storefront/"
            "kustomization.yaml, which component 'storefront' on cluster 'us-west'")


@pytest.mark.parametrize(("first", "second"), [("web", "Web"), ("web", "web."),
                                               ("a.b", "a.b-"), ("x_y", "x-y")])
def test_two_objects_with_one_file_name(example_repo: Path, first: str, second: str) -> None:
    (example_repo / "templates/storefront/zz.yaml.j2").write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '{first}'\n---\n"
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '{second}'\n")
    refused(example_repo, "templates/storefront/zz.yaml.j2:6:1: error: ConfigMap shop/"
            f"{second} and ConfigMap shop/{first} (templates/storefront/zz.yaml.j2:1:1) "
            "would share the file name")


def test_one_object_in_two_namespaces_still_gets_two_files(example_repo: Path) -> None:
    (example_repo / "templates/storefront/zz.yaml.j2").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same, namespace: a}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same, namespace: b}\n")
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    folder = example_repo / "clusters/us-west/storefront"
    assert (folder / "configmap-same.yaml").exists() and (folder / "configmap-same-2.yaml"
                                                           ).exists()


def test_a_cluster_listed_twice_in_a_group(example_repo: Path) -> None:
    edit(example_repo, "clusters: [us-west, us-east]", "clusters: [us-west, us-east, us-west]")
    line = line_of(example_repo, r"clusters: \[us-west, us-east, us-west\]")
    refused(example_repo, f"{SPEC}:{line}:", "group 'us-web' lists cluster 'us-west' twice")


def test_two_fleet_specs_with_one_name(example_repo: Path) -> None:
    text = (example_repo / SPEC).read_text().replace("dir: clusters", "dir: clusters-two")
    (example_repo / "fleets/acme-two.yaml").write_text(text)
    line = line_of(example_repo, r"^  name: acme")
    refused(example_repo, f"fleets/acme.yaml:{line}:", "fleets/acme-two.yaml")


def test_two_argo_cd_applications_with_one_name(example_repo: Path) -> None:
    edit(example_repo, "engine: flux", "engine: argocd")
    edit(example_repo, "  firewall:\n", "    - {name: west-cert-issuer, template: cert-issuer, "
         "namespace: cm, placement: {clusters: [us]}}\n  firewall:\n")
    edit(example_repo, "    - name: us-west\n", "    - name: us\n")
    edit(example_repo, "    - name: us-east\n", "    - name: us-west\n")
    edit(example_repo, "clusters: [us-west, us-east]", "clusters: [us, us-west]")
    edit(example_repo, "from: [us-west, us-east]", "from: [us, us-west]")
    line = line_of(example_repo, r"\{name: west-cert-issuer")
    refused(example_repo, f"{SPEC}:{line}:", "would both be the Argo CD Application "
            "'us-west-cert-issuer'")


@pytest.mark.parametrize(("folder", "reason"), [
    (".mcgen/out", "inside mcgen's state folder"),
    ("templates/out", "inside the fleet's own inputs (templates/)"),
    ("fleets", "inside the fleet's own inputs (fleets/)"),
    ("policies/x", "inside the fleet's own inputs (policies/)"),
    ("clusters/../clusters", "may not go through '..'"),
    ("out/../../x", "must name a folder inside the repository"),
])
def test_a_risky_output_folder_is_refused_at_the_dir_line(example_repo: Path, folder: str,
                                                          reason: str) -> None:
    edit(example_repo, "dir: clusters", f"dir: {folder}")
    refused(example_repo, f"{SPEC}:{line_of(example_repo, 'dir: ')}:", reason)


def test_an_output_folder_through_a_symlink(example_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, example_repo / "linked")
    edit(example_repo, "dir: clusters", "dir: linked/clusters")
    refused(example_repo, f"{SPEC}:{line_of(example_repo, 'dir: ')}:", "linked is a symlink")
    assert not any(outside.iterdir())


def test_an_output_folder_inside_another_fleets(example_repo: Path) -> None:
    text = (example_repo / SPEC).read_text().replace("dir: clusters", "dir: clusters/us-west")
    (example_repo / "fleets/other.yaml").write_text(text.replace("name: acme", "name: other"))
    line = line_of(example_repo, r"- name: us-west", "fleets/other.yaml")
    refused(example_repo, f"fleets/other.yaml:{line}:7: error: cluster 'us-west' of fleet 'other' "
            "is written in clusters/us-west/, which fleet 'acme' writes too")


@pytest.mark.parametrize("folder", ["./clusters", "clusters/", "./clusters/.", "clusters//"])
def test_an_output_folder_spelt_otherwise_is_the_same_folder(example_repo: Path,
                                                            folder: str) -> None:
    """`./clusters/` names the folder `clusters`: the same tree, checked clean, as with
    `dir: clusters` (it was refused file by file, with no line)."""
    before = snapshot(example_repo / "clusters")
    edit(example_repo, "dir: clusters", f"dir: {folder}")
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    assert snapshot(example_repo / "clusters") == before
    assert run_cli("render", "--check", cwd=example_repo).code == 0
    assert run_cli("lint", "--select", "output-drift", cwd=example_repo).code == 0
