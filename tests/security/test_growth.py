"""Every step that grows a value is refused before it is built, under a memory limit.

SECURITY.md says a template cannot make mcgen build gigabytes. `test_limits.py` covers
the steps that pad or multiply text in one go; these are the rest (issue #16): `~`
and `+` doubling in a chain of `set`, list `+`, values made of shared parts printed,
filled `batch`/`slice`, `sum` of lists, `urlencode` and `escape` compounding, `%` and
`format` fan-out, integer squaring and powers, the buffers of macros and blocks, and
the str methods and filters that make one item per character.

All payloads run in ONE subprocess whose address space is capped at 1 GiB (RLIMIT_AS),
each through the real `mcgen render --check`: a payload that was not refused in time
would end as a MemoryError (or be killed), not as the located refusal asserted here.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

MEMORY = 1024**3
TEMPLATE = "templates/storefront/service.yaml.j2"
BIG = "('x' * 1000000)"
TEXT = "{% set s = " + BIG + " %}"
SHARED = "{% set a = [" + BIG + "] %}" + "{% set a = [a, a] %}" * 30  # 2**30 MB as text
LOOP = "{% for i in range(100000) %}{{ " + BIG + " ~ i }}{% endfor %}"  # 100 GB of text


def twelve(step: str) -> str:
    return step * 12


GROWTH = {
    "tilde-doubling": TEXT + twelve("{% set s = s ~ s %}") + "{{ s | length }}",
    "plus-text-doubling": TEXT + twelve("{% set s = s + s %}") + "{{ s | length }}",
    "plus-list-doubling": "{% set l = [1] * 1000000 %}" + twelve("{% set l = l + l %}")
                          + "{{ l | length }}",
    "shared-parts-print": SHARED + "{{ a }}",
    "shared-parts-tojson": SHARED + "{{ a | tojson }}",
    "shared-parts-to_yaml": SHARED + "{{ a | to_yaml }}",
    "shared-parts-string": SHARED + "{{ a | string | length }}",
    "shared-parts-join": SHARED + "{{ a | join }}",
    "shared-parts-tilde": SHARED + "{{ ('' ~ a) | length }}",
    "shared-parts-sha256": SHARED + "{{ a | sha256 }}",
    "batch-fill": "{{ [1] | batch(10**9, 'x') | list | length }}",
    "slice-fill": "{{ [1] | slice(10**9, 'x') | list | length }}",
    "sum-of-lists": "{% set l = [1] * 1000000 %}{{ ([l] * 1000) | sum(start=[]) | length }}",
    "urlencode-compounding": "{% set s = '%' * 1000000 %}" + twelve("{% set s = s | urlencode %}")
                             + "{{ s | length }}",
    "escape-compounding": "{% set s = '&' * 1000000 %}" + twelve("{% set s = s | e ~ '' %}")
                          + "{{ s | length }}",
    "percent-fan-out": TEXT + "{{ (('%s' * 1000) % ((s,) * 1000)) | length }}",
    "percent-mapping-fan-out": TEXT + "{{ (('%(a)s' * 100000) % {'a': s}) | length }}",
    "format-fan-out": TEXT + "{{ ('{0}' * 100000).format(s) | length }}",
    "format-keyword-fan-out": TEXT + "{{ ('{a}' * 100000).format(a=s) | length }}",
    "format-filter-fan-out": TEXT + "{{ ('%s' * 1000) | format(*((s,) * 1000)) | length }}",
    "integer-squaring": "{% set n = 9 ** 4096 %}" + twelve("{% set n = n * n %}") + "{{ n > 0 }}",
    "integer-power-tower": "{{ ((9 ** 4096) ** 4096) ** 4096 > 0 }}",
    "macro-buffer": "{% macro f() %}" + LOOP + "{% endmacro %}{{ f() | length }}",
    "set-block-buffer": "{% set s %}" + LOOP + "{% endset %}{{ s | length }}",
    "filter-block-buffer": "{% filter upper %}" + LOOP + "{% endfilter %}",
    "call-block-buffer": "{% macro m() %}{{ caller() | length }}{% endmacro %}"
                         "{% call m() %}" + LOOP + "{% endcall %}",
    "translate": "{{ " + BIG + ".translate({120: " + BIG + "}) | length }}",
    "split": "{% set s = 'x ' * 500000 %}{{ (s ~ s ~ s ~ s).split() | length }}",
    "list-of-text": TEXT + "{{ (s ~ s ~ s) | list | length }}",
    "urlize": "{% set s = 'a.co ' * 200000 %}{{ (s ~ s ~ s) | urlize | length }}",
    "xmlattr": "{% set s = '\"' * 1000000 %}{{ {'a': s ~ s ~ s ~ s} | xmlattr | length }}",
}

RUNNER = """
import io, json, sys
from contextlib import redirect_stderr, redirect_stdout
from mcgen.cli import main
results = {}
for name, payload in json.load(sys.stdin).items():
    with open(sys.argv[1], "w") as handle:
        handle.write("a: 1\\nb: " + payload + "\\n")
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            main(["render", "--check"])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    results[name] = [code, err.getvalue()]
print(json.dumps(results))
"""


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[object]]:
    from conftest import ROOT

    repo = tmp_path_factory.mktemp("growth")
    for name in ("fleets", "templates", "policies", "crds", "clusters"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(repo / name)], check=True)
    done = subprocess.run([sys.executable, "-c", RUNNER, str(repo / TEMPLATE)], cwd=repo,
                          input=json.dumps(GROWTH), text=True, capture_output=True,
                          preexec_fn=limited, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    results: dict[str, list[object]] = json.loads(done.stdout)
    return results


@pytest.mark.slow  # one subprocess, ~20 s for all payloads on a loaded machine
@pytest.mark.parametrize("name", sorted(GROWTH))
def test_growth_is_refused_at_the_template_line_within_1_gib(
        outcomes: dict[str, list[object]], name: str) -> None:
    code, err = outcomes[name]
    assert code == 2, err
    assert f"{TEMPLATE}:2:1: error: template refused by the sandbox" in str(err), err
    assert "MemoryError" not in str(err)


EVERYDAY = [
    ("{% set s = 'ab' %}{% set s = s ~ s %}{{ s + s }}", "abababab"),
    ("{{ ([1] + [2, 3]) | sum }}|{{ [[1], [2]] | sum(start=[]) }}", "6|[1, 2]"),
    ("{{ [1, 2, 3] | batch(2, 0) | list }}", "[[1, 2], [3, 0]]"),
    ("{{ 'a b&c' | urlencode }}|{{ '<a>' | e }}|{{ {'k': 'v'} | xmlattr }}",
     'a%20b%26c|&lt;a&gt;| k="v"'),
    ("{{ '%s-%s' % ('a', 'b') }}|{{ '{0}{0}'.format('x') }}|{{ '{k}'.format(k=1) }}",
     "a-b|xx|1"),
    ("{{ 2 ** 64 * 3 }}|{{ 'a b c'.split() }}|{{ 'ab' | list }}",
     "55340232221128654848|['a', 'b', 'c']|['a', 'b']"),
    ("{% macro m() %}x{{ caller() }}{% endmacro %}{% call m() %}y{% endcall %}"
     "{% set b %}z{% endset %}{{ b }}{% filter upper %}w{% endfilter %}", "xyzW"),
    ("{{ 'abc'.translate({97: 'A'}) }}|{{ [['a'], ['a']] | tojson }}", 'Abc|[["a"], ["a"]]'),
]


@pytest.mark.parametrize(("source", "expected"), EVERYDAY)
def test_everyday_uses_of_the_same_steps_are_unchanged(source: str, expected: str) -> None:
    from mcgen.sources.jinja.sandbox import make_environment

    assert make_environment("/nonexistent").from_string(source).render() == expected


@pytest.mark.parametrize("source", [
    "{{ '{x:>1000000000}'.format(x=1) }}",  # the keyword form (issue #16)
    "{{ '{x:{w}}'.format(x=1, w=10**9) }}",
    "{{ '{0:>1000000000}'.format(1) }}",
    "{{ '{x:.1000000000f}'.format(x=1.0) }}",
])
def test_format_padding_is_refused_in_every_form(source: str) -> None:
    import jinja2

    from mcgen.sources.jinja.sandbox import make_environment

    with pytest.raises(jinja2.exceptions.SecurityError, match="format width or precision"):
        make_environment("/nonexistent").from_string(source).render()
