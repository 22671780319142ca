"""The libyaml fast path reads exactly what the ruamel path reads, or declines the text.

Compared: the value with its types (`True` is not `1`, `1.0` not `1`, and NaN equals NaN)
and every position. Declined texts go to ruamel, so their errors and limits stay ruamel's.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from fuzz.strategies import FUZZ, YAML_TEXT
from hypothesis import example, given

from mcgen.errors import InputError
from mcgen.location import Location
from mcgen.yaml import fastsource
from mcgen.yaml.source import MAX_DEPTH, MAX_NODES, load_text, load_text_with_ruamel
from sourceyaml.texts import documents

Read = list[tuple[object, dict[tuple[str | int, ...], Location]]] | str


def typed(value: object) -> object:
    """`value` with the type of every part beside it; floats by repr."""
    if isinstance(value, dict):
        return [(key, typed(child)) for key, child in value.items()]
    if isinstance(value, list):
        return ("list", [typed(child) for child in value])
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)  # not repr: a 5,000-digit hex int has no decimal repr


def by_ruamel(text: str) -> Read:
    try:
        return [(typed(doc.value), doc.positions) for doc in load_text_with_ruamel(text, "f.yaml")]
    except InputError as exc:
        return f"error: {exc}"


def by_libyaml(text: str) -> Read | None:
    found = fastsource.read(text, "f.yaml", MAX_DEPTH, MAX_NODES)
    return None if found is None else [(typed(value), where) for value, where in found]


def assert_same_or_declined(text: str) -> None:
    fast = by_libyaml(text)
    if fast is not None:
        assert fast == by_ruamel(text)


@FUZZ
@given(documents())
@example("a: yes\nb: 0o17\nc: 017\nd: [.inf, -.inf, .NaN, ~, '', 2026-12-01]\n")
@example("- {a: 1}\n-\n- - x\n  - y\n- ? k\n  : v\n")
@example("k: >-\n  folded\n  lines\n\n  para\nl: |+\n  kept\n\n")
def test_styled_documents_read_the_same(text: str) -> None:
    assert_same_or_declined(text)


@FUZZ
@given(YAML_TEXT)
def test_token_soup_reads_the_same(text: str) -> None:
    assert_same_or_declined(text)


# What the fuzzers found where libyaml and ruamel part, and layouts worth keeping an eye on.
REGRESSIONS = [
    '["\u2028", yes]\n',              # libyaml breaks the line at LS: positions differed
    "|# c",                            # ruamel wants a space before the comment
    "\r\n\ufeff",                      # a BOM after the start is text to ruamel
    "---\n...\n...\n",                  # ruamel refuses a second `...`
    "a: 0x1F" + "9" * 5000 + "\n",     # an int with no decimal repr
    "[a: 1, b]\n", "{a, b: }\n", "- ? a\n  : b\n", "a:\n- 1\n- 2\nb: 3\n", "- - - x\n",
    "-\n-\n", "a: 'x\n\n  y'\n", 'a: "x\\\n  y"\n', "a: |2\n   x\n", "a: >+\n\n",
    "- |\n x\n- >\n y\n", "? |\n  lit\n: v\n", "x\n---\ny\n", "\ufeffa: 1\n",
    "a: 1\r\nb: [2,\r\n  3]\r\n", "k" * 1100 + ": 1\n", "a: b #c\nb: 'c'#d\n",
]


@pytest.mark.parametrize("text", REGRESSIONS)
def test_regressions_read_the_same(text: str) -> None:
    assert_same_or_declined(text)


SCALARS = {
    "yes": "'yes'", "on": "'on'", "n": "'n'", "0o7": "7", "07": "7", "017": "17",
    "0x1F": "31", "0X1F": "'0X1F'", "1_000": "1000", "1e3": "1000.0", ".5": "0.5",
    "-.inf": "-inf", ".NaN": "nan", "+.nan": "'+.nan'", "~": "None", "null": "None",
    "Null": "None", "NULL": "None", "nULL": "'nULL'", "true": "True", "True": "True",
    "TRUE": "True", "tRue": "'tRue'", "2026-12-01": "'2026-12-01'", "''": "''",
    "'1'": "'1'", "_1": "'_1'", "-0.0": "-0.0", "1:20": "'1:20'",
}


@pytest.mark.parametrize("written", SCALARS)
def test_plain_scalars_follow_yaml_1_2(written: str) -> None:
    text = f"a: {written}\n"
    fast = by_libyaml(text)
    assert fast is not None
    assert fast == by_ruamel(text)
    assert repr(load_text(text, "f.yaml")[0].value) == "{'a': " + SCALARS[written] + "}"


DECLINED = {
    "tag": "a: !!str 1\n",
    "local-tag": "a: !custom x\n",
    "non-specific-tag": "a: ! [1]\n",
    "anchor": "a: &x true\n",  # ruamel reads an anchored bool as 1
    "alias": "a: &x [1]\nb: *x\n",
    "merge-key": "a: 1\n<<: {b: 2}\n",
    "merge-value": "a: <<\n",
    "yaml-directive": "%YAML 1.1\n---\na: yes\n",
    "tag-directive": "%TAG !e! tag:e.com,2000:\n---\na: 1\n",
    "document-end": "---\n...\n...\n",  # ruamel refuses it
    "duplicate-key": "a: 1\nb: 2\na: 3\n",
    "duplicate-quoted-key": "a: 1\n'a': 2\n",
    "int-key": "1: a\n",
    "bool-key": "true: a\n",
    "null-key": "~: a\n",
    "empty-key": ": a\n",
    "date-key": "2026-12-01: a\n",
    "sequence-key": "? [a, b]\n: c\n",
    "mapping-key": "? {a: 1}\n: c\n",
    "parse-error": "a: [1\n",
    "timestamp": "a: 2026-12-01T10:00:00Z\n",
    "impossible-date": "a: 2026-02-30\n",
    "huge-int": "a: " + "9" * 5000 + "\n",
    "underscore-only-int": "a: 0b_\n",
    "tab": "a: b\t\n",  # ruamel refuses a tab libyaml takes as white space
    "lone-surrogate": "a: \ud800\n",
    "too-deep": "- " * (MAX_DEPTH + 5) + "x\n",
}


@pytest.mark.parametrize("name", DECLINED)
def test_declined_texts_are_read_by_ruamel(name: str) -> None:
    text = DECLINED[name]
    assert by_libyaml(text) is None
    try:
        through_load_text: Read = [(typed(d.value), d.positions) for d in load_text(text, "f.yaml")]
    except InputError as exc:
        through_load_text = f"error: {exc}"
    assert through_load_text == by_ruamel(text)


def test_too_many_values_are_declined() -> None:
    assert fastsource.read("[1, 2, 3]\n", "f.yaml", MAX_DEPTH, 4) is not None
    assert fastsource.read("[1, 2, 3, 4]\n", "f.yaml", MAX_DEPTH, 4) is None


@pytest.mark.parametrize("path", ["fleets/acme.yaml", "policies/eu-storage-class.yaml",
                                  "policies/performance-replicas.yaml"])
def test_the_repository_s_own_files_take_the_fast_path(path: str) -> None:
    text = (ROOT / path).read_text()
    fast = by_libyaml(text)
    assert fast is not None
    assert fast == by_ruamel(text)
    assert [(typed(d.value), d.positions) for d in load_text(text, path)] == [
        (value, {at: where._replace(path=path) for at, where in positions.items()})
        for value, positions in fast]
