"""The Rust validator that answers "valid" quickly is never laxer than jsonschema."""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import jsonschema_rs
import pytest
from conftest import ROOT
from fuzz.strategies import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from mcgen.fleet.schema import _quick, _validator
from mcgen.yaml.source import load_file

SPECS = [ROOT / "fleets" / "acme.yaml",
         *sorted((ROOT / "tests" / "fixtures" / "render" / "cases").glob("*.yaml"))]
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 70), st.floats(allow_nan=False),
              st.sampled_from(["", "us-west", "Us-West", "a\n", "-a", "a" * 64, "flux",
                               "argocd", "kustomize", "2026-12-01", "2026-02-30", "1.31",
                               "https://x.example.com:6443", "eu", "personal-eu"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["name", "region", "values", "wave", "x", "clusters",
                                 "expires", "rule", "reason"]), inner, max_size=3)),
    max_leaves=8)


def paths(value: object, at: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*at, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*at, index))
    return found


def replaced(value: object, at: tuple[object, ...], new: object) -> object:
    if not at:
        return new
    copied = copy.deepcopy(value)
    node = copied
    for part in at[:-1]:
        node = node[part]  # type: ignore[index]
    node[at[-1]] = new  # type: ignore[index]
    return copied


@FUZZ
@given(st.sampled_from(SPECS), st.data(), JSON)
def test_quick_valid_means_valid(spec: Path, data: st.DataObject, new: object) -> None:
    value = load_file(str(spec))[0].value
    at = data.draw(st.sampled_from(paths(value)))
    mutated = replaced(value, at, new)
    if _quick().is_valid(mutated):
        assert not list(_validator().iter_errors(mutated))


@pytest.mark.slow
@FUZZ
@given(st.from_regex(r"\A[0-9\-]{8,12}\Z") | st.text(max_size=12))
def test_dates_are_judged_alike(text: str) -> None:
    schema = {"format": "date"}
    quick = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    slow = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    if quick.is_valid(text):
        assert slow.is_valid(text)
