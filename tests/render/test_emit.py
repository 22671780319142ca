"""The fast emitter writes exactly what PyYAML's block style writes, and reads back equal."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mcgen.yaml.emit import (
    META_ORDER,
    NESTED_ORDER,
    TOP_ORDER,
    CanonicalDumper,
    Tail,
    canonical_yaml,
)


def ordered(value: object, order: Mapping[str, int] = NESTED_ORDER) -> object:
    if isinstance(value, Mapping):
        keys = sorted(value, key=lambda k: (order.get(str(k), len(order)), str(k)))
        return {k: ordered(value[k], META_ORDER if k == "metadata" else NESTED_ORDER)
                for k in keys}
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def reference(body: Mapping[str, object]) -> str:
    """The emitter this replaced: PyYAML's representer over the canonical key order."""
    text: str = yaml.dump(ordered(body, TOP_ORDER), Dumper=CanonicalDumper, sort_keys=False,
                          default_flow_style=False, allow_unicode=True, width=1_000_000)
    return text


TRICKY = st.sampled_from([
    "yes", "no", "on", "y", "N", "true", "null", "~", "1e3", "0755", "0x1F", "1_000", "12:30",
    "- a", "a: b", "#x", " lead", "trail ", "", "@x", "*x", "&x", "!x", "%x", "{a}", "[a]",
    "a\nb", "a\nb\n", "a\n\n", "\nlead", "  indented\nblock", "tab\there", "1.0", ".inf",
    "2020-01-01", "é", "x\u2028y", "\x07", "line\nwith trailing space \n", "'q'", '"d"',
])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    TRICKY, st.text(max_size=12))
KEYS = st.one_of(TRICKY, st.text(min_size=1, max_size=8), st.sampled_from(["name", "kind"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6))
def test_emitter_matches_pyyaml_block_style_and_round_trips(body: dict[str, object]) -> None:
    text = canonical_yaml(body)
    assert text == reference(body)
    assert yaml.safe_load(text) == body


def test_yaml11_booleans_are_quoted_for_go_readers() -> None:
    text = canonical_yaml({"a": "y", "b": "N", "c": "yes", "d": "on"})
    assert text == "a: 'y'\nb: 'N'\nc: 'yes'\nd: 'on'\n"


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6),
       st.dictionaries(KEYS, VALUES, max_size=3))
def test_a_shared_tail_writes_the_same_bytes(rest: dict[str, object],
                                             metadata: dict[str, object]) -> None:
    """Replicas stamped from one document share its Tail: their text must not change."""
    shared = {k: v for k, v in rest.items() if k not in TOP_ORDER}
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, **shared}
    assert canonical_yaml(body, Tail(shared)) == canonical_yaml(body)
