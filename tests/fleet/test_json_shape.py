"""YAML in a fleet spec with no JSON meaning is an input error at its line (issue #16).

Before, the spec reader turned it into Python text that templates then printed:
`!!binary aGVsbG8=` became `b'hello'`, `!!set {a, b}` became `set(...)`, a `null:` key
`None`, `{[a]: 1}` a key `('a',)`; `!!omap` and some `<<` merges failed with an internal
exception's text at 1:1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

SPEC = "fleets/acme.yaml"
HOSTILE = {
    "custom-tag": ("!Ref x", "the tag '!Ref'"),
    "custom-tag-on-a-map": ("!Thing {a: 1}", "the tag '!Thing'"),
    "binary": ("!!binary aGVsbG8=", "binary data (!!binary)"),
    "set": ("!!set {a, b}", "a set (!!set)"),
    "omap": ("!!omap [{a: 1}]", "an ordered map (!!omap)"),
    "pairs": ("!!pairs [{a: 1}]", "pairs (!!pairs)"),
    "python-object": ("!!python/object:os.system x", "a Python object"),
    "python-tuple": ("!!python/tuple [1, 2]", "a Python object"),
    "null-key": ("{null: 1}", "the key 'null' is read as null"),
    "tilde-key": ("{~: 1}", "the key '~' is read as null"),
    "integer-key": ("{1: a}", "the key '1' is read as int"),
    "float-key": ("{1.5: a}", "the key '1.5' is read as float"),
    "bool-key": ("{true: a}", "the key 'true' is read as bool"),
    "complex-key": ("{[a]: 1}", "a complex key"),
    "explicit-complex-key": ("{? [a, b] : 1}", "a complex key"),
    "flow-merge": ("{<<: {a: 1}, b: 2}", "a merge key (<<)"),
    "infinity": (".inf", ".inf is not a JSON number"),
    "negative-infinity": ("[1, -.Inf]", "-.Inf is not a JSON number"),
    "nan": ("{a: .NaN}", ".NaN is not a JSON number"),
    "tagged-infinity": ("!!float .inf", ".inf is not a JSON number"),
}


def put(repo: Path, value: str) -> int:
    """`hostile: VALUE` into defaults.values; its line."""
    spec = repo / SPEC
    text = spec.read_text()
    assert "      logLevel: info\n" in text
    spec.write_text(text.replace("      logLevel: info\n",
                                 f"      logLevel: info\n      hostile: {value}\n", 1))
    return next(i for i, line in enumerate(spec.read_text().splitlines(), 1) if "hostile" in line)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_value_with_no_json_meaning_is_refused_at_its_line(example_repo: Path,
                                                             name: str) -> None:
    value, reason = HOSTILE[name]
    line = put(example_repo, value)
    result = run_cli("render", "--check", cwd=example_repo)
    assert result.code == 2, result.out + result.err
    assert f"{SPEC}:{line}:" in result.err and reason in result.err, result.err
    assert "Error:" not in result.err and "Traceback" not in result.err


def test_a_block_merge_is_refused_at_its_line(example_repo: Path) -> None:
    spec = example_repo / SPEC
    text = spec.read_text().replace("  defaults:\n    values:\n",
                                    "  defaults:\n    values:\n      <<: {x: 1}\n", 1)
    spec.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "<<:" in row)
    result = run_cli("render", "--check", cwd=example_repo)
    assert result.code == 2 and f"{SPEC}:{line}:7: error: a merge key (<<)" in result.err, (
        result.err)


@pytest.mark.parametrize("value", ["'!Ref x'", '"b\'hello\'"', "{'null': 1, '1': a, on: 2}",
                                   "[yes, no, on, '~']", "2026-01-01", "=", "{a: &x 1, b: *x}",
                                   "'.inf'", ".infinity", "1.5e3"])
def test_json_shaped_yaml_is_fine(example_repo: Path, value: str) -> None:
    put(example_repo, value)
    result = run_cli("render", "-q", cwd=example_repo)
    assert result.code == 0, result.err
