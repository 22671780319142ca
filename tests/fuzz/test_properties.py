"""Property-based fuzzing: any input gives a result or a clean, located error.

CI runs a bounded number of examples; `make fuzz` (MCGEN_FUZZ_EXAMPLES=20000) runs many
more. Whatever a fuzzer finds becomes a regression case in REGRESSIONS below.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from hypothesis import given
from hypothesis import strategies as st

from fuzz.strategies import FUZZ
from mcgen.errors import InputError
from mcgen.fleet.load import load_fleet
from mcgen.fleet.values import deep_merge
from mcgen.yaml.manifests import DocumentError, parse_documents
from mcgen.yaml.source import load_text

SPEC = (ROOT / "fleets" / "acme.yaml").read_text()

YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- \n\t{}[],'\"&*!|>#%@`?0123456789.~\x00é")),
                  max_size=200)

# Inputs the fuzzers (or reviews) found; each once crashed or hung something.
REGRESSIONS = [
    "a: &a [x,x]\nb: [*a,*a]\n",          # aliases in a fleet spec
    "\t- a\n",                             # a tab as indentation
    "a: " + "[" * 300 + "]" * 300,         # deep flow nesting
    "? [a, b]\n: c\n",                     # a complex (non-string) key
    "a: !!python/object:os.system x\n",    # a Python tag
    "--- |\n  x\n--- >\n y\n",             # block scalars as documents
]


@FUZZ
@given(st.one_of(YAMLISH, st.sampled_from(REGRESSIONS)))
def test_source_yaml_gives_documents_or_a_located_error(text: str) -> None:
    try:
        load_text(text, "f.yaml")
    except InputError as exc:
        assert all(p.location.path == "f.yaml" and p.location.line >= 1 for p in exc.problems)


@FUZZ
@given(st.one_of(YAMLISH, st.sampled_from(REGRESSIONS)))
def test_manifest_parser_never_raises(text: str) -> None:
    result = parse_documents(text)
    assert isinstance(result, list | DocumentError)


def mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "char", "indent", "swap"]))
        if action == "drop":
            lines.pop(index)
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = " " + lines[index]
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        else:
            line = lines[index]
            at = data.draw(st.integers(0, max(len(line) - 1, 0)))
            char = data.draw(st.sampled_from(list(":-[{x1 \"'")))
            lines[index] = line[:at] + char + line[at + 1:]
        if not lines:
            break
    return "".join(lines)


@pytest.fixture(scope="module")
def scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="mcgen-fuzz-"))
    for name in ("templates", "policies", "crds", "secrets"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "fleets").mkdir()
    return folder


@FUZZ
@given(st.data())
def test_mutated_fleet_specs_load_or_fail_with_locations(scratch: Path, data: st.DataObject
                                                         ) -> None:
    spec = scratch / "fleets" / "acme.yaml"
    spec.write_text(mutate(SPEC, data))
    try:
        load_fleet(str(spec))
    except InputError as exc:
        assert exc.problems
        assert all(p.location.path == "fleets/acme.yaml" and p.location.line >= 1
                   for p in exc.problems), exc.problems


JSONISH = st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=5)),
                       lambda inner: st.dictionaries(st.text(max_size=3), inner, max_size=3),
                       max_leaves=10)


@FUZZ
@given(st.dictionaries(st.text(max_size=3), JSONISH), st.dictionaries(st.text(max_size=3),
                                                                        JSONISH))
def test_deep_merge_layers_top_over_base_without_mutating(base: dict[str, object],
                                                          top: dict[str, object]) -> None:
    import copy

    before = (copy.deepcopy(base), copy.deepcopy(top))
    merged = deep_merge(base, top)
    assert (base, top) == before
    assert set(merged) == set(base) | set(top)
    for key, value in top.items():
        if not (isinstance(value, dict) and isinstance(base.get(key), dict)):
            assert merged[key] == value
    for key in set(base) - set(top):
        assert merged[key] == base[key]


FRAGMENTS = st.sampled_from([
    "{{ values.replicas }}", "{{ cluster.name }}", "{{ nope }}", "{% for x in values %}",
    "{% endfor %}", "{% if cluster %}", "{% endif %}", "{{", "}}", "{%", "%}", "{#", "#}",
    "\n", "  ", "- ", "a: ", "kind: ConfigMap\n", "metadata: {name: x}\n", "apiVersion: v1\n",
    "{{ values | to_yaml }}", "{{ 1/0 }}", "{{ range(10**9) | list }}", "{{ 'x' * 3 }}",
    "{% include 'storefront/service.yaml.j2' %}", "{{ dependencies.accounts.endpoint }}",
])


@pytest.mark.slow
@FUZZ
@given(st.lists(FRAGMENTS, max_size=15))
def test_any_template_renders_or_fails_cleanly(scratch: Path, parts: list[str]) -> None:
    spec = scratch / "fleets" / "acme.yaml"
    spec.write_text(SPEC)
    template = scratch / "templates" / "storefront" / "pdb.yaml.j2"
    template.write_text("".join(parts))
    result = run_cli("render", "--check", "--no-diff", cwd=scratch)
    assert result.code in (0, 1, 2), result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    if result.code == 2:
        assert "templates/" in result.err or "fleets/" in result.err


@FUZZ
@given(st.binary(max_size=300) | YAMLISH.map(str.encode))
def test_lint_on_any_file_exits_0_1_or_2(tmp_path_factory: pytest.TempPathFactory,
                                         data: bytes) -> None:
    target = tmp_path_factory.mktemp("lint") / "input.yaml"
    target.write_bytes(data)
    result = run_cli("lint", str(target))
    assert result.code in (0, 1, 2), result.err
    assert "internal error" not in result.err
