"""`same`, replica-drift's shortcut, agrees with `differences` on every pair of values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcgen.lint.objectdiff import differences, same

LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(
    [0.0, 1.0, 1.5, math.inf, math.nan]), st.sampled_from(["a", "b", "1", "nan"]))
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["a", "b", "c", "1"]) | st.integers(0, 2), inner,
                    max_size=3)), max_leaves=12)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(VALUES, VALUES, st.booleans())
def test_same_only_when_differences_finds_nothing(left: object, right: object,
                                                  shared: bool) -> None:
    # Replicas share subtrees: compare a value with itself too, not only with a copy.
    other = left if shared else right
    if same(left, other):
        assert list(differences(left, other)) == []


def test_alike_values_are_same() -> None:
    body = {"spec": {"replicas": 2, "ports": [{"port": 80}]}}
    assert same(body, {"spec": {"replicas": 2, "ports": [{"port": 80}]}})
    assert not same(body, {"spec": {"replicas": 3, "ports": [{"port": 80}]}})


def test_a_shared_nan_is_left_to_differences() -> None:
    # `==` finds a NaN equal to itself; differences() does not, and neither may same().
    spec = {"minAvailable": math.nan}
    assert spec == spec
    assert list(differences({"spec": spec}, {"spec": spec}))
    assert not same({"spec": spec}, {"spec": spec})


@pytest.mark.parametrize("text", ["a: .nan", "a: .NaN", "a: .NAN", "a: !!float nan",
                                  "a: [1, .nan]", "a: {b: !!float NaN}", "a: .inf"])
def test_a_rendered_text_never_parses_to_a_nan(text: str) -> None:
    """What replica-drift relies on to compare rendered replicas with `==` alone
    (`same(..., nan_free=True)`): the parser of rendered texts refuses NaN."""
    from mcgen.yaml.manifests import DocumentError, parse_documents

    assert isinstance(parse_documents(text), DocumentError)


def test_nan_free_is_plain_equality() -> None:
    assert same({"a": [1]}, {"a": [1]}, nan_free=True)
    assert not same({"a": [1]}, {"a": [2]}, nan_free=True)
