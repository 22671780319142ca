"""A template's reads decide when two pairs may share one render: equal keys, equal text."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcgen.sources.jinja.reads import render_key, template_reads
from mcgen.sources.jinja.sandbox import make_environment

ENV = make_environment(str(Path(__file__).parent))

TEMPLATES = [
    "{{ values.a }}-{{ cluster.region }}",
    "{% for k, v in values.items() %}{{ k }}={{ v }};{% endfor %}",
    "{{ values.m | dictsort }}|{% for k in values.m %}{{ k }}{% endfor %}",
    "{% if values.a is defined %}{{ values.a }}{% else %}none{% endif %}",
    "{{ values.get('a', 'd') }}/{{ values.items | default('x') is callable }}",
    "{% set c = cluster %}{{ c.labels.tier }}",
    "{{ cluster['labels']['tier'] }}{{ cluster.labels[values.k] | default('?') }}",
    "{% for c in fleet.clusters %}{{ c.name }}{% endfor %}{{ fleet.clusters[0].name }}",
    "{{ values.l[0] | default('-') }}{{ values.l | length }}{{ values.l[-1] | default('') }}",
    "{{ values | to_json }}",
    "{% macro f(x) %}{{ x.a | default(0) }}{% endmacro %}{{ f(values) }}",
    "{% set values = cluster %}{{ values.name }}",
    "{{ cluster.name.upper() }}{{ (values.a ~ '') | length }}",
]

SCALAR = st.sampled_from([1, 1.0, "1", True, None, 0, "", "x"])
VALUES = st.fixed_dictionaries({}, optional={
    "a": SCALAR, "k": st.sampled_from(["tier", "zone"]),
    "l": st.lists(SCALAR, max_size=2),
    "m": st.dictionaries(st.sampled_from(["p", "q"]), SCALAR, max_size=2),
    "items": SCALAR,
})
CLUSTER = st.fixed_dictionaries({
    "name": st.sampled_from(["c1", "c2"]), "region": st.sampled_from(["r1", "r2"]),
    "labels": st.dictionaries(st.sampled_from(["tier", "zone"]),
                              st.sampled_from(["a", "b"]), max_size=2),
})
CONTEXT = st.builds(
    lambda cluster, values, names: {
        "cluster": cluster, "values": values, "component": {"name": "c"},
        "dependencies": {}, "fleet": {"clusters": [{"name": n} for n in names]},
    },
    CLUSTER, VALUES, st.lists(st.sampled_from(["c1", "c2"]), min_size=1, max_size=2),
)


def outcome(source: str, context: dict[str, object]) -> str:
    try:
        return ENV.from_string(source).render(context)
    except jinja2.TemplateError as exc:
        return f"<{type(exc).__name__}>"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TEMPLATES), CONTEXT, CONTEXT)
def test_equal_keys_render_equal_text(source: str, one: dict[str, object],
                                      two: dict[str, object]) -> None:
    reads = template_reads(ENV, source)
    if render_key("t", reads, one, {}) == render_key("t", reads, two, {}):
        assert outcome(source, one) == outcome(source, two)


def test_reads_are_the_paths_a_template_names() -> None:
    reads = template_reads(ENV, TEMPLATES[0])
    assert reads == (("cluster", "region"), ("values", "a"))
    assert template_reads(ENV, TEMPLATES[6]) == (
        ("cluster", "labels"), ("cluster", "labels", "tier"), ("values", "k"))


@pytest.mark.parametrize("source", [
    "{% include 'other.yaml.j2' %}",
    "{% import 'macros.j2' as m %}{{ m.x() }}",
    "{% extends 'base.j2' %}",
])
def test_templates_reaching_other_templates_read_everything(source: str) -> None:
    assert template_reads(ENV, source) is None


def test_replicas_differing_only_in_what_is_not_read_share_a_key() -> None:
    reads = template_reads(ENV, TEMPLATES[0])
    west = {"cluster": {"name": "us-west", "region": "r"}, "values": {"a": 1, "b": 2}}
    east = {"cluster": {"name": "us-east", "region": "r"}, "values": {"a": 1, "b": 3}}
    assert render_key("t", reads, west, {}) == render_key("t", reads, east, {})
    east["values"] = {"a": 1.0}
    assert render_key("t", reads, west, {}) != render_key("t", reads, east, {})


def test_a_method_step_reads_the_whole_mapping() -> None:
    source = TEMPLATES[1]
    reads = template_reads(ENV, source)
    one = {"values": {"a": 1}}
    two = {"values": {"a": 1, "b": 2}}
    assert render_key("t", reads, one, {}) != render_key("t", reads, two, {})
