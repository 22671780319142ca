"""`mcgen lint --crd` and `mcgen schema`: the flag the schema rule advises exists and works,
and editors get the very schema mcgen validates fleets with."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from conftest import ROOT, run_cli

WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
"""

WIDGET = """\
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: app}
spec: {size: big}
"""


def test_without_its_crd_a_custom_object_is_unchecked(tmp_path: Path) -> None:
    (tmp_path / "widget.yaml").write_text(WIDGET)
    result = run_cli("lint", "--select", "schema", str(tmp_path / "widget.yaml"))
    assert result.code == 1
    assert "no schema for example.com/v1 Widget" in result.out
    assert "pass --crd" in result.out


def test_crd_flag_validates_custom_objects(tmp_path: Path) -> None:
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds" / "widget.yaml").write_text(WIDGET_CRD)
    (tmp_path / "widget.yaml").write_text(WIDGET)
    result = run_cli("lint", "--select", "schema", "--crd", str(tmp_path / "crds"),
                     str(tmp_path / "widget.yaml"))
    assert result.code == 1
    assert f"{tmp_path / 'widget.yaml'}:4:" in result.out
    assert '"big" is not of type "integer"' in result.out
    good = tmp_path / "good.yaml"
    good.write_text(WIDGET.replace("size: big", "size: 3"))
    assert run_cli("lint", "--select", "schema", "--crd", str(tmp_path / "crds"),
                   str(good)).code == 0


def test_crd_flag_refuses_a_missing_path(tmp_path: Path) -> None:
    (tmp_path / "widget.yaml").write_text(WIDGET)
    result = run_cli("lint", "--crd", str(tmp_path / "nope"), str(tmp_path / "widget.yaml"))
    assert result.code == 2
    assert "does not exist" in result.err


def test_an_unreadable_crd_file_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("spec: [unclosed\n")
    (tmp_path / "widget.yaml").write_text(WIDGET)
    result = run_cli("lint", "--crd", str(tmp_path / "bad.yaml"), str(tmp_path / "widget.yaml"))
    assert result.code == 2
    assert f"{tmp_path / 'bad.yaml'}:" in result.err
    assert "invalid YAML in CRD file" in result.err


def test_schema_command_prints_the_validating_schema(tmp_path: Path) -> None:
    result = run_cli("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    shipped = json.loads((ROOT / "mcgen" / "fleet" / "schema.json").read_text())
    assert schema == shipped
    example = yaml.safe_load((ROOT / "fleets" / "acme.yaml").read_text())
    jsonschema.Draft202012Validator(schema).validate(example)
    out = tmp_path / "fleet.schema.json"
    assert run_cli("schema", "--output", str(out)).code == 0
    assert json.loads(out.read_text()) == shipped
