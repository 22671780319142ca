"""Value layering (FLEET-SPEC §3), end to end: every layer reaches a rendered object, in
its place in the order (issue #16: zone values reached no rendered object in any test)."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import run_cli

from mcgen.fleet.load import load_fleet
from mcgen.fleet.model import Fleet
from mcgen.fleet.values import layers, origin_of
from mcgen.yaml.source import PathKey

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones:
    eu: {regions: [eu-west-1], values: {zone: eu, g: zone, c: zone, deep: {z: 1, all: zone}}}
    us: {regions: [us-east-1]}
  defaults: {values: {d: defaults, zone: defaults, deep: {d: 1, all: defaults}}}
  clusters:
    - {name: e, region: eu-west-1, kubernetesVersion: "1.31", values: {c: cluster, o: cluster}}
    - {name: u, region: us-east-1, kubernetesVersion: "1.31"}
  groups:
    - {name: all, clusters: [e, u], values: {g: group, c: group, og: group}}
  components:
    - name: app
      template: app
      namespace: app
      placement: {groups: [all]}
      values: {d: component, zone: component, own: component, deep: {all: component}}
      overrides:
        all: {og: override-group, o: override-group}
        e: {o: override-cluster, list: [1]}
"""
TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: values}
data:
  values: {{ values | tojson | tojson }}
"""


def rendered_values(tmp_path: Path, cluster: str) -> dict[str, object]:
    (tmp_path / "fleets").mkdir()
    (tmp_path / "fleets/t.yaml").write_text(FLEET)
    (tmp_path / "templates/app").mkdir(parents=True)
    (tmp_path / "templates/app/cm.yaml.j2").write_text(TEMPLATE)
    assert run_cli("render", "-q", cwd=tmp_path).code == 0
    body = yaml.safe_load((tmp_path / f"clusters/{cluster}/app/configmap-values.yaml")
                          .read_text())
    values: dict[str, object] = yaml.safe_load(body["data"]["values"])
    return values


def test_every_layer_reaches_the_object_in_order(tmp_path: Path) -> None:
    assert rendered_values(tmp_path, "e") == {
        "own": "component",            # only the component sets it
        "d": "defaults",               # defaults over component
        "zone": "eu",                  # the zone over defaults
        "g": "group",                  # a group over the zone
        "c": "cluster",                # the cluster over its groups
        "og": "override-group",        # an override for a group over the cluster
        "o": "override-cluster",       # an override for the cluster over everything
        "list": [1],
        "deep": {"all": "zone", "d": 1, "z": 1},  # maps merge deeply
    }


def test_a_cluster_of_a_zone_without_values_gets_none_of_them(tmp_path: Path) -> None:
    values = rendered_values(tmp_path, "u")
    assert values["zone"] == "defaults" and "z" not in values["deep"]  # type: ignore[operator]
    assert values["o"] == "override-group" and values["c"] == "group"


def loaded(tmp_path: Path) -> Fleet:
    (tmp_path / "fleets").mkdir()
    (tmp_path / "fleets/t.yaml").write_text(FLEET)
    (tmp_path / "templates/app").mkdir(parents=True)
    return load_fleet(str(tmp_path / "fleets/t.yaml"), str(tmp_path))


def at_path(document: object, at: PathKey) -> object:
    for part in at:
        document = document[part]  # type: ignore[index]
    return document


def test_the_layers_are_named_and_placed_where_the_spec_sets_them(tmp_path: Path) -> None:
    """Findings name a layer ("values (override e)") and point at its line: each layer's
    path must lead, in the spec as written, to exactly the values it carries."""
    fleet = loaded(tmp_path)
    found = layers(fleet, "app", "e")
    assert [layer.name for layer in found] == [
        "component app", "defaults", "zone eu", "group all", "cluster e", "override all",
        "override e"]
    for layer in found:
        assert at_path(fleet.source.value, layer.at) == layer.values, layer.name
        assert fleet.source.where(layer.at) == fleet.source.positions[layer.at]
    assert [layer.at for layer in found] == [
        ("spec", "components", 0, "values"), ("spec", "defaults", "values"),
        ("spec", "zones", "eu", "values"), ("spec", "groups", 0, "values"),
        ("spec", "clusters", 0, "values"), ("spec", "components", 0, "overrides", "all"),
        ("spec", "components", 0, "overrides", "e")]


def test_layers_without_values_are_left_out(tmp_path: Path) -> None:
    """Cluster u: its zone and itself set nothing, and it has no override of its own."""
    names = [layer.name for layer in layers(loaded(tmp_path), "app", "u")]
    assert names == ["component app", "defaults", "group all", "override all"]


def test_the_origin_of_a_value_is_the_top_layer_that_sets_it(tmp_path: Path) -> None:
    fleet = loaded(tmp_path)

    def origin(cluster: str, *key: str | int) -> str | None:
        layer = origin_of(fleet, "app", cluster, key)
        return layer.name if layer else None

    assert origin("e", "o") == "override e"
    assert origin("u", "o") == "override all"
    assert origin("e", "own") == "component app"
    assert origin("e", "deep", "z") == "zone eu"            # inside a map
    assert origin("e", "deep", "all") == "zone eu"          # the zone over the defaults
    assert origin("u", "deep", "all") == "defaults"
    assert origin("e", "deep") == "zone eu"                 # the map itself: its top setter
    assert origin("e", "nope") is None
    assert origin("e", "list", 0) is None                   # not a map: no layer sets [0]
    assert origin("e", "d", "x") is None                    # through a scalar
