"""Findings in rendered objects point at the rendered file, the template and the fleet."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import ROOT

from mcgen.fleet.load import load_fleet
from mcgen.lint.engine import fleet_subject
from mcgen.lint.rules import output_drift
from mcgen.output.layout import build_tree
from mcgen.render.engine import render_fleet
from mcgen.sources.jinja.provenance import line_map

TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ name }}
data:
{% for key in keys %}
  {{ key }}: "{{ key | upper }}"
{% endfor %}
{% if extra %}
  extra: yes
{% endif %}
  last: x
"""


def test_line_map_follows_loops_and_conditionals() -> None:
    rendered = ('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n'
                '  a: "A"\n  b: "B"\n  extra: yes\n  last: x\n')
    assert line_map(TEMPLATE, rendered) == (1, 2, 3, 4, 5, 7, 7, 10, 12)


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_json_path_maps_to_file_template_and_fleet_lines() -> None:
    fleet = load_fleet(str(ROOT / "fleets" / "acme.yaml"))
    rendered = render_fleet(fleet)
    subject = fleet_subject(fleet, rendered, build_tree(rendered), datetime.date(2026, 1, 1))
    obj = next(o for o in subject.objects if o.cluster == "us-east"
               and o.ref.kind == "Deployment" and o.ref.name == "storefront")
    at = ("spec", "template", "spec", "containers", 0, "image")
    where = subject.locate(obj, at)
    assert where.path == "clusters/us-east/storefront/deployment-storefront.yaml"
    assert where.line == line_of(ROOT / where.path, "image: registry.example.com/storefront")
    template = subject.template_location(obj, at)
    assert template is not None
    assert template.path == "templates/storefront/deployment.yaml.j2"
    assert template.line == line_of(ROOT / template.path, "image: {{ values.image.registry }}")
    finding = subject.finding(output_drift, obj, "test", at)
    places = dict(finding.related)
    assert places["fleet"].path == "fleets/acme.yaml"
    assert places["fleet"].line == line_of(ROOT / "fleets/acme.yaml", "- name: storefront")
