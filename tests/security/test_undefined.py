"""An undefined value never becomes text (issue #16), wherever it hides.

StrictUndefined refuses `{{ missing }}`, but inside a list or a dict Python prints it
as `Undefined`: `{{ [missing] }}` rendered `[Undefined]`, `{{ {'a': missing} }}` and
`'%s' % [missing]` alike, and filters passed it on (`map(attribute=)` of an absent key,
`groupby`, `dictsort`, `string`, `int`). Every one is now the undefined error, located
at the template line, and what does not print the value (`default`, `is defined`)
behaves as before.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import run_cli

from mcgen.sources.jinja.sandbox import make_environment

HIDDEN = {
    "in-a-list": "{{ [missing] }}",
    "in-a-dict": "{{ {'a': missing} }}",
    "in-a-nested-value": "{{ {'a': [1, {'b': [missing]}]} }}",
    "absent-attribute-mapped": "{{ [{'a': 1}] | map(attribute='b') | list }}",
    "absent-key-mapped-to-string": "{{ [{'a': 1}] | map(attribute='b') | map('string') "
                                   "| join(',') }}",
    "select": "{{ [missing] | select | list }}",
    "join": "{{ [missing, 'a'] | join(',') }}",
    "string-of-a-list": "{{ [missing] | string }}",
    "int-of-a-list": "{{ [missing] | int }}",
    "tojson": "{{ {'a': missing} | tojson }}",
    "to_yaml": "{{ {'a': missing} | to_yaml }}",
    "to_json": "{{ [missing] | to_json }}",
    "groupby-absent-key": "{{ [{'a': 1}] | groupby('b') | list }}",
    "dictsort": "{{ {'a': missing} | dictsort }}",
    "items": "{{ {'a': missing}.items() | list }}",
    "percent": "{{ '%s' % [missing] }}",
    "format-method": "{{ '{}'.format([missing]) }}",
    "format-filter": "{{ '%s' | format([missing]) }}",
    "tilde": "{{ 'a' ~ [missing] }}",
    "upper-of-a-list": "{{ [missing] | upper }}",
    "b64encode": "{{ [missing] | b64encode }}",
    "dict-global": "{{ dict(a=missing) }}",
    "values-key": "{{ values.absent }}",
    "set-then-print": "{% set x = [values.absent] %}{{ x }}",
}

STILL_FINE = [
    ("{{ missing | default('d') }}", "d"),
    ("{{ missing is defined }}", "False"),
    ("{{ [1, 2] | map('string') | join(',') }}", "1,2"),
    ("{{ {'a': none} }}", "{'a': None}"),
    ("{% if missing is undefined %}u{% endif %}", "u"),
]


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_an_undefined_inside_a_value_is_an_error(name: str) -> None:
    template = make_environment("/nonexistent").from_string(HIDDEN[name])
    with pytest.raises(jinja2.UndefinedError):
        template.render(values={})


@pytest.mark.parametrize(("source", "expected"), STILL_FINE)
def test_what_does_not_print_an_undefined_is_unchanged(source: str, expected: str) -> None:
    assert make_environment("/nonexistent").from_string(source).render() == expected


@pytest.mark.parametrize("name", ["in-a-list", "absent-attribute-mapped", "tojson"])
def test_the_error_is_located_and_nothing_is_written(name: str, example_repo: Path) -> None:
    template = example_repo / "templates/storefront/service.yaml.j2"
    template.write_text("a: 1\nb: " + HIDDEN[name] + "\n")
    before = {p: p.read_bytes() for p in (example_repo / "clusters").rglob("*") if p.is_file()}
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2, result.err
    assert "templates/storefront/service.yaml.j2:2:1: error: undefined in template" in result.err
    assert "Undefined" not in result.out
    after = {p: p.read_bytes() for p in (example_repo / "clusters").rglob("*") if p.is_file()}
    assert after == before
