"""A template cannot make mcgen build gigabytes, and everyday uses still render the same.

Found in review: besides `*` and `**` (already bounded), a few bytes of Jinja could ask
for gigabytes through padding (`center`, `ljust`, `%`-widths, format widths), through
multiplying filters and methods (`join`, `replace`, `indent`, `wordwrap`, `slice`,
`expandtabs`), a macro calling itself twice, or a loop printing a megabyte 100,000
times. The `random` filter made output non-deterministic.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import run_cli
from jinja2.sandbox import ImmutableSandboxedEnvironment

from mcgen.sources.jinja.sandbox import make_environment

TEMPLATE = "templates/storefront/service.yaml.j2"
BIG = "('x' * 1000000)"

EXHAUSTING = {
    "loop-output": "{% for i in range(100000) %}{{ " + BIG + " }}{% endfor %}",
    "center-filter": "{{ 'x' | center(10**10) }}",
    "ljust-method": "{{ 'x'.ljust(10**10) }}",
    "rjust-method": "{{ 'x'.rjust(10**10) }}",
    "zfill-method": "{{ '1'.zfill(10**10) }}",
    "expandtabs": "{{ ('\\t' * 1000000).expandtabs(1000) }}",
    "percent-width": "{{ '%1000000000s' % 'x' }}",
    "percent-star": "{{ '%*s' % (10**9, 'x') }}",
    "percent-precision": "{{ '%.1000000000f' % 1 }}",
    "format-filter": "{{ '%1000000000s' | format('x') }}",
    "format-width": "{{ '{:>1000000000}'.format('x') }}",
    "format-nested": "{{ '{:>{}}'.format('x', 10**9) }}",
    "format-map": "{{ '{x:>1000000000}'.format_map({'x': 1}) }}",
    "join-filter": "{{ range(100000) | map('string') | join(" + BIG + ") }}",
    "join-method": "{{ " + BIG + ".join(['y'] * 1000000) }}",
    "replace-filter": "{{ " + BIG + " | replace('x', " + BIG + ") }}",
    "replace-method": "{{ " + BIG + ".replace('x', " + BIG + ") }}",
    "indent-filter": "{{ ('\\n' * 1000000) | indent(1000000) }}",
    "wordwrap-filter": "{{ ('a ' * 1000000) | wordwrap(1, true, " + BIG + ") }}",
    "slice-filter": "{{ [1] | slice(10**9) | list }}",
    "macro-doubling": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% else %}{{ "
                      + BIG + " }}{% endif %}{% endmacro %}{{ f(40) }}",
}


@pytest.mark.parametrize("name", sorted(EXHAUSTING))
def test_building_huge_text_is_refused_with_a_located_error(name: str,
                                                            example_repo: Path) -> None:
    (example_repo / TEMPLATE).write_text(f"a: 1\nb: {EXHAUSTING[name]}\n")
    result = run_cli("render", "--check", cwd=example_repo)
    assert result.code == 2, result.err
    assert f"{TEMPLATE}:2:1: error: template refused by the sandbox" in result.err, result.err


EVERYDAY = [
    "{{ 'x' | center(9) }}|{{ 'x' | center(width=5) }}|{{ 'x'.ljust(4) }}|{{ '7'.zfill(3) }}",
    "{{ '%05d' % 42 }}|{{ '%-5s|' % 'a' }}|{{ '%.2f' % 1.234 }}|{{ '%s-%s' | format('a', 'b') }}",
    "{{ '{}:{}'.format(1, 2) }}|{{ '{x:>4}'.format_map({'x': 1}) }}|{{ '{:08.3f}'.format(3.1) }}",
    "{{ ['a', 'b'] | join(',') }}|{{ [{'n': 'a'}, {'n': 'b'}] | join(d='+', attribute='n') }}",
    "{{ 'ab' | map('upper') | join }}|{{ ','.join(['a', 'b']) }}|{{ range(3) | join('-') }}",
    "{{ 'a,b' | replace(',', ';') }}|{{ 'abb' | replace('b', 'B', 1) }}|{{ 'a'.replace('a', '') }}",
    "{{ 'k: v\\nk2: v2' | indent(2) }}|{{ 'a\\nb' | indent('> ', first=true) }}",
    "{{ 'a b c' | wordwrap(2) }}|{{ 'ab cd' | wordwrap(width=2, wrapstring='-') }}",
    "{{ [1, 2, 3, 4] | slice(2) | list }}|{{ [1, 2, 3] | slice(slices=2, fill_with=0) | list }}",
    "{{ 'a\\tb'.expandtabs(4) }}|{{ 'x' * 3 }}|{{ 2 ** 10 }}|{{ 7 % 3 }}",
]


@pytest.mark.parametrize("source", EVERYDAY)
def test_everyday_uses_render_as_in_plain_jinja(source: str) -> None:
    ours = make_environment("/nonexistent").from_string(source).render()
    plain = ImmutableSandboxedEnvironment().from_string(source).render()
    assert ours == plain


def test_the_random_filter_is_gone_for_determinism() -> None:
    with pytest.raises(jinja2.TemplateAssertionError):
        make_environment("/nonexistent").from_string("{{ [1, 2] | random }}")
