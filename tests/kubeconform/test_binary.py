"""The kubeconform binary path. The binary is not installed here and cannot be downloaded
(no network but the package registries), so the delegation itself is skipped; what mcgen
feeds it, the standalone schema set, is tested: written, self-contained, and judging the
fixtures exactly as the in-process validator does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema_rs
import pytest
import yaml
from conftest import CORPORA

from mcgen.kubeconform.binary import export_schemas
from mcgen.kubeconform.registry import Registry


@pytest.mark.slow
def test_exported_schemas_are_standalone_and_agree_with_the_builtin(tmp_path: Path) -> None:
    folder = Path(export_schemas(str(tmp_path), "1.31", strict=True))
    assert folder.name == "v1.31.0-standalone-strict"
    files = sorted(folder.glob("*.json"))
    assert len(files) > 100 and (folder / "deployment-apps-v1.json").exists()
    for path in files[:40]:
        text = path.read_text()
        assert "_definitions.json" not in text  # no references out of the file
        jsonschema_rs.validator_for(json.loads(text))
    builtin = Registry([], "1.31.0", strict=True)
    exported = Registry([str(tmp_path / "{{ .NormalizedKubernetesVersion }}-standalone"
                             "{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json")],
                        "1.31.0", strict=True)
    fixtures = CORPORA / "kubeconform" / "fixtures"
    if not fixtures.is_dir():
        pytest.skip("../shared/corpora is absent")
    compared = 0
    for path in sorted(fixtures.glob("*.yaml")):
        for body in yaml.safe_load_all(path.read_text(errors="replace")):
            if not isinstance(body, dict) or not body.get("kind") or not body.get("apiVersion"):
                continue
            one = builtin.validator(str(body["kind"]), str(body["apiVersion"]))
            other = exported.validator(str(body["kind"]), str(body["apiVersion"]))
            assert (one is None) == (other is None)
            if one is None or other is None:
                continue
            try:
                verdict = one.is_valid(body)
            except ValueError:  # a fixture with non-string keys: kubeconform errors on it
                continue
            assert verdict == other.is_valid(body), path
            compared += 1
    assert compared >= 10


@pytest.mark.skipif(shutil.which("kubeconform") is None,
                    reason="no kubeconform binary on PATH (it cannot be downloaded here)")
def test_the_binary_agrees_on_the_fixtures() -> None:
    from conftest import run_cli

    result = run_cli("kubeconform", "-summary", str(CORPORA / "kubeconform/fixtures/valid.yaml"))
    assert result.code == 0
