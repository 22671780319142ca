"""Plain manifest files and folders: real-world quirks parse, bad input is a located exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", resources: {limits: {cpu: "1"}}}]
"""


def test_a_tab_after_a_value_is_accepted_as_libyaml_does(tmp_path: Path) -> None:
    target = tmp_path / "tab.yaml"
    target.write_text(DEPLOYMENT.replace("apiVersion: apps/v1\n", "apiVersion: apps/v1\t\n"))
    result = run_cli("lint", str(target))
    assert result.code == 0, result.out + result.err


def test_argo_cd_examples_with_tabs_lint(corpora: Path) -> None:
    tabbed = [p for p in corpora.glob("argo-cd/**/*.yaml") if "\t\n" in p.read_text()]
    assert tabbed, "the corpus notes four such files"
    result = run_cli("lint", "--select", "schema", *map(str, tabbed))
    assert result.code in (0, 1), result.err
    assert "invalid YAML" not in result.err


def test_schema_findings_in_plain_manifests_use_the_requested_version(tmp_path: Path) -> None:
    target = tmp_path / "pdb.yaml"
    target.write_text("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n"
                      "metadata: {name: p}\nspec: {minAvailable: 1}\n")
    old = run_cli("lint", "--select", "deprecated-api", "--kubernetes-version", "1.24",
                  str(target))
    assert old.code == 0 and ": warning: " in old.out
    new = run_cli("lint", "--select", "deprecated-api", "--kubernetes-version", "1.30",
                  str(target))
    assert new.code == 1 and f"{target}:1:1: error: " in new.out


BAD = {
    "unparseable.yaml": (b"a: [1\nb: 2\n", "2:", "invalid YAML"),
    "list.yaml": (b"- 1\n- 2\n", "1:1", "must be a mapping"),
    "nokind.yaml": (b"apiVersion: v1\nmetadata: {name: x}\n", "1:1", "needs kind"),
    "binary.yaml": (bytes(range(256)), "", "not UTF-8"),
    "dup.yaml": (b"apiVersion: v1\nkind: ConfigMap\nkind: Secret\n", "3:1", "duplicate key"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_manifests_exit_2_with_a_location(name: str, tmp_path: Path) -> None:
    data, where, words = BAD[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.yaml").write_text(DEPLOYMENT)
    result = run_cli("lint", str(tmp_path))
    assert result.code == 2
    assert f"{tmp_path / name}:{where}" in result.err and words in result.err
    assert "Traceback" not in result.err


def test_every_bad_file_of_a_folder_is_reported_at_once(tmp_path: Path) -> None:
    for name, (data, _, _) in BAD.items():
        (tmp_path / name).write_bytes(data)
    result = run_cli("lint", str(tmp_path))
    assert result.code == 2
    assert all(name in result.err for name in BAD)


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    result = run_cli("lint", str(huge))
    assert result.code == 2 and "larger than 64 MiB" in result.err
    assert os.path.getsize(huge) == 65 * 1024 * 1024


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("lint", str(tmp_path / "nope"))
    assert result.code == 2 and "no such file or folder" in result.err


def test_a_number_as_a_key_is_read_as_kubectl_reads_it(tmp_path: Path) -> None:
    # sigs.k8s.io/yaml turns the int key into the JSON key "1" (yaml.go, convertToJSONableObject)
    target = tmp_path / "intkey.yaml"
    target.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {1: a}\n")
    assert run_cli("lint", str(target)).code == 0
    assert run_cli("kubeconform", str(target)).code == 0


def test_a_null_key_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    target = tmp_path / "nullkey.yaml"
    target.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {~: a}\n")
    result = run_cli("lint", str(target))
    assert result.code == 2 and f"{target}:4:8: error: " in result.err
    assert "cannot turn into JSON text" in result.err
    kubeconform = run_cli("kubeconform", str(target))
    assert kubeconform.code == 1 and "error unmarshalling resource" in kubeconform.out
