"""Manifests are read as goyaml.v2 reads them, on both paths (Rust fast path and libyaml).

The reference here is independent of the loader: libyaml composes the nodes, and each plain
scalar is resolved by `mcgen.yaml.resolve.goyaml_v2` (itself pinned to the Go sources by
tests/render/test_resolution_table.py), keys turned into JSON text as sigs.k8s.io/yaml does.
"""

from __future__ import annotations

import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sourceyaml.texts import TRICKY_PLAIN

from mcgen.yaml.manifests import _fast, parse_documents
from mcgen.yaml.resolve import goyaml_v2, json_key

SCALARS = st.one_of(
    st.sampled_from([
        "yes", "no", "on", "off", "y", "N", "true", "false", "null", "~", "0755", "0o17",
        "0x1F", "1_000", "12:30:01", "1e3", "1.5e3", "1.0", "2020-01-01", "abc", "'q'",
        '"x: y"', "a b", "v1.2.3", "=", "<<", "!!str x", "10%", "-1", "+1", "0", "01", "08",
        "09.5", "0b-1", "1e400", "1" * 19, "1" * 25, "-" + "9" * 20, "0x" + "F" * 20,
        "1.e3", ".5", "+.5", "1.", "0O17", "-0o17", "0o-17", "0b_1", "1__0",
        "0E_-0", "1e-_2", "1.5E+_3", "2e1_0",
    ]),
    st.sampled_from([t for t in TRICKY_PLAIN if len(t) < 100 and t not in (".nan",)]),
    st.from_regex(r"\A[-+]?(0[xob])?[0-9_.eE+-]{1,8}\Z"),
)


class _Plain(yaml.CSafeLoader):
    """libyaml composing, every plain untagged scalar marked for the reference resolver."""

    def resolve(self, kind: type[yaml.Node], value: str | None,
                implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return "!plain"
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


def _value(node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        merged: dict[str, object] = {}
        for k, v in node.value:
            if k.tag == "!plain" and k.value == "<<":
                return None  # merges: left to the loader's own tests
            merged[_key(k)] = _value(v)
        return merged
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    assert isinstance(node, yaml.ScalarNode)
    if node.tag == "!plain":
        return goyaml_v2(node.value)
    return node.value


def _key(node: yaml.Node) -> str:
    key = json_key(_value(node))
    assert key is not None
    return key


def reference(text: str) -> list[tuple[int, object]] | None:
    """Each document by the reference reading, None where it has no JSON meaning."""
    found = []
    for node in yaml.compose_all(text, Loader=_Plain):
        if node is None:
            continue
        try:
            value = _value(node)
        except AssertionError:
            return None
        if _not_json(value):
            return None
        if value is not None:
            found.append((node.start_mark.line + 1, value))
    return found


def _not_json(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_not_json(v) for v in value.values())
    if isinstance(value, list):
        return any(_not_json(v) for v in value)
    return False


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "key", "on", "y", "1", "0x1"]), SCALARS),
                min_size=1, max_size=4), st.integers(0, 2))
def test_both_paths_read_as_goyaml_v2(pairs: list[tuple[str, str]], separators: int) -> None:
    body = "".join(f"{key}{index}: {value}\n" for index, (key, value) in enumerate(pairs))
    text = "---\n" * separators + body + "---\n# only a comment\n" + body
    try:
        expected = reference(text)
    except yaml.YAMLError:
        return
    parsed = parse_documents(text)
    if expected is None:
        assert not isinstance(parsed, list)
        return
    assert isinstance(parsed, list), parsed
    assert [(d.line, d.value) for d in parsed] == expected
    fast = _fast(text)
    if fast is not None:
        assert [(d.line, d.value) for d in fast] == expected


@settings(max_examples=300, deadline=None)
@given(SCALARS)
def test_the_rust_parser_is_used_only_where_it_agrees(scalar: str) -> None:
    text = f"a: {scalar}\nb: [{scalar}]\n"
    fast = _fast(text)
    try:
        expected = reference(text)
    except yaml.YAMLError:
        return
    if fast is not None:
        assert expected is not None and [(d.line, d.value) for d in fast] == expected


def test_the_fast_path_is_taken_for_ordinary_manifests() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: b\n---\nkind: Z\n"
    fast = _fast(text)
    assert fast is not None and [d.line for d in fast] == [1, 7]
    assert _fast("enabled: yes\n") is None
    assert _fast("mode: 0644\n") is None


CASES = {
    # text: what kubectl (goyaml.v2 under sigs.k8s.io/yaml) makes of it
    "a: y\n": {"a": True},
    "a: n\n": {"a": False},
    "a: On\n": {"a": True},
    "a: 1e3\n": {"a": 1000.0},
    "a: 0o17\n": {"a": 15},
    "a: 0x1f\n": {"a": 31},
    "a: 017\n": {"a": 15},
    "a: 08\n": {"a": 8.0},
    "a: 1:30\n": {"a": "1:30"},
    "a: 2001-12-14\n": {"a": "2001-12-14"},
    "a: =\n": {"a": "="},
    "a: <<\n": {"a": "<<"},
    "a: \"1e3\"\n": {"a": "1e3"},
    "1: a\n": {"1": "a"},
    "y: a\n": {"true": "a"},
    "1.5: a\n": {"1.5": "a"},
    "1e6: a\n": {"1e+06": "a"},
    "x: &a {b: 1}\ny: {<<: *a, c: 2}\n": {"x": {"b": 1}, "true": {"b": 1, "c": 2}},
}


def test_goyaml_v2_readings() -> None:
    for text, expected in CASES.items():
        parsed = parse_documents(text)
        assert isinstance(parsed, list) and parsed[0].value == expected, text


REFUSED = {
    "a: .inf\n": (1, 4, "infinity or NaN"),
    "a:\n  b: -.Inf\n": (2, 6, "infinity or NaN"),
    "a: .NaN\n": (1, 4, "infinity or NaN"),
    "~: a\n": (1, 1, "cannot turn into JSON text"),
    "null: a\n": (1, 1, "cannot turn into JSON text"),
    "18446744073709551615: a\n": (1, 1, "cannot turn into JSON text"),
    "1: a\n'1': b\n": (2, 1, "duplicate key '1'"),
    "[a]: b\n": (1, 1, "mapping or list as a key"),
}


def test_values_with_no_json_meaning_are_refused_with_a_position() -> None:
    for text, (line, column, words) in REFUSED.items():
        parsed = parse_documents(text)
        assert not isinstance(parsed, list), text
        assert (parsed.line, parsed.column) == (line, column), text
        assert words in parsed.message, text
