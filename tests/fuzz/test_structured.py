"""Structure-aware fuzzing: any value anywhere in a spec, manifest or policy.

Byte-level mutation rarely gets past the parser; these properties build valid YAML
holding hostile values, so that the checks, the renderer, every lint rule and every
reporter see them. Any input must give a result or a clean, located error (exit 0, 1
or 2), never an internal error (exit 3). REGRESSIONS hold what these fuzzers found.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Run, run_cli, snapshot
from hypothesis import example, given
from hypothesis import strategies as st

from fuzz.strategies import (
    CEL_TEXT,
    FUZZ,
    FUZZ_CLI,
    JSONISH,
    YAML_TEXT,
    kubernetes_objects,
)
from mcgen.errors import InputError
from mcgen.yaml.manifests import DocumentError, parse_documents
from mcgen.yaml.source import load_text

SPEC = yaml.safe_load((ROOT / "fleets" / "acme.yaml").read_text())
FORMATS = ["text", "json", "sarif", "junit", "github", "markdown"]

# Found by these fuzzers; each crashed mcgen (exit 3) before its fix.
REGRESSIONS = [
    "expires: 2026-13-01\n",                     # impossible date: ruamel ValueError
    "a: !!float nope\n",                          # ruamel IndexError
    "a: !!bool maybe\n",                          # ruamel KeyError
    "a: !!omap [b: 1, b: 2]\n",                   # ruamel AssertionError
    "a: &a {x: 1}\nm: {<<: [*a, *a], k: 1}\n",    # ruamel KeyError while merging
    "a: 1\nb: &b {<<: *b}\n",                     # ruamel AttributeError
    "a: " + "9" * 5000 + "\n",                    # int beyond 4,300 digits: ValueError
    "a: &a [*a]\n",                               # a recursive alias (PyYAML: a cycle)
    "a: &a {k: *a}\n",
]


# Values that crashed `mcgen lint` and `mcgen render` (exit 3) before their fixes.
VALUE_REGRESSIONS = [
    '!!binary "aGVsbG8="', "!!set {a, b}", "!!omap [b: 1, c: 2]", "!!pairs [b: 1]",
    "{1: 2, null: 4}", "{1.5: x}", "&a [*a]", "&a {k: *a}", "9" * 5000, "!!bool maybe",
    "!!float nope", "[1, {a: !!binary aGk=}]",
]
VALUE_TOKENS = st.sampled_from([
    "!!binary ", "!!set ", "!!omap ", "!!pairs ", "!!int ", "!!float ", "!!bool ", "!!str ",
    "!!timestamp ", "!!null ", "&a ", "*a", "{", "}", "[", "]", ", ", ": ", "? ", "<<: ",
    "1", "1.5", "null", "true", "x", "aGk=", "2026-13-01", "9" * 5000, ".nan", "'q'", '"d"',
])
VALUE_TEXT = st.lists(VALUE_TOKENS, min_size=1, max_size=12).map("".join)
OBJECT = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: {{k: {}}}\n"


def located(exc: InputError, path: str) -> bool:
    return all(p.location.path == path and p.location.line >= 1 for p in exc.problems)


@FUZZ
@given(YAML_TEXT)
@example(REGRESSIONS[0])
def test_source_yaml_by_the_token_loads_or_fails_located(text: str) -> None:
    try:
        load_text(text, "f.yaml")
    except InputError as exc:
        assert located(exc, "f.yaml"), exc.problems


@pytest.mark.parametrize("text", REGRESSIONS)
def test_regressions_are_located_input_errors_or_documents(text: str) -> None:
    try:
        load_text(text, "f.yaml")
    except InputError as exc:
        assert located(exc, "f.yaml")
    parsed = parse_documents(text)
    assert isinstance(parsed, DocumentError) or parsed


@FUZZ
@given(YAML_TEXT)
def test_manifest_parser_by_the_token_never_raises(text: str) -> None:
    assert isinstance(parse_documents(text), list | DocumentError)


def paths_of(value: object, at: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    yield at
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_of(child, (*at, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_of(child, (*at, index))


def replaced(document: object, at: tuple[object, ...], new: object) -> object:
    if not at:
        return new
    head, rest = at[0], at[1:]
    if isinstance(document, dict):
        return {k: replaced(v, rest, new) if k == head else v for k, v in document.items()}
    assert isinstance(document, list)
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(document)]


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="mcgen-fuzz-"))
    for name in ("fleets", "templates", "charts", "policies", "crds", "clusters", "secrets"):
        shutil.copytree(ROOT / name, folder / name)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def clean_exit(result: Run) -> None:
    assert result.code in (0, 1, 2), result.err
    assert "internal error" not in result.err, result.err


def hostile_spec(data: st.DataObject) -> str:
    spec: object = SPEC
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.sampled_from(list(paths_of(spec))[1:]))
        spec = replaced(spec, at, data.draw(JSONISH))
    return yaml.safe_dump(spec, sort_keys=False)


@FUZZ_CLI
@given(st.data())
def test_any_value_anywhere_in_the_spec_renders_or_fails_located(scratch: Path,
                                                                 data: st.DataObject) -> None:
    (scratch / "fleets" / "acme.yaml").write_text(hostile_spec(data))
    result = run_cli("render", "--check", "--no-diff", cwd=scratch)
    clean_exit(result)
    if result.code == 2:
        assert "fleets/acme.yaml:" in result.err or "templates/" in result.err, result.err


def outside_outputs(files: dict[str, bytes], output_dir: str) -> dict[str, bytes]:
    """The files that are not under an output folder or mcgen's state folder."""
    prefixes = (output_dir.rstrip("/") + "/", "argocd/", ".mcgen/", ".git/")
    return {path: data for path, data in files.items() if not path.startswith(prefixes)}


@FUZZ_CLI
@given(st.data())
def test_a_real_render_of_any_spec_writes_only_its_output_folder(
        tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    repo = tmp_path_factory.mktemp("render")
    for name in ("templates", "policies", "crds", "secrets"):
        shutil.copytree(ROOT / name, repo / name)
    (repo / "fleets").mkdir()
    text = hostile_spec(data)
    (repo / "fleets" / "acme.yaml").write_text(text)
    before = snapshot(repo)
    result = run_cli("render", cwd=repo)
    clean_exit(result)
    if result.code == 2:
        assert snapshot(repo) == before
        return
    output_dir = yaml.safe_load(text)["spec"]["output"]["dir"]
    assert outside_outputs(snapshot(repo), output_dir) == outside_outputs(before, output_dir)
    assert any(path.startswith(output_dir.rstrip("/") + "/") for path in snapshot(repo))


@FUZZ_CLI
@given(st.data())
def test_any_value_anywhere_in_the_spec_lints(scratch: Path, data: st.DataObject) -> None:
    (scratch / "fleets" / "acme.yaml").write_text(hostile_spec(data))
    clean_exit(run_cli("lint", "--format", data.draw(st.sampled_from(FORMATS)), cwd=scratch))


@FUZZ_CLI
@given(st.lists(kubernetes_objects(), min_size=1, max_size=4), st.sampled_from(FORMATS),
       st.booleans())
def test_lint_on_any_objects_with_every_rule_and_reporter(
        tmp_path_factory: pytest.TempPathFactory, objects: list[dict[str, object]],
        fmt: str, as_json: bool) -> None:
    folder = tmp_path_factory.mktemp("objects")
    if as_json:
        import json

        for index, body in enumerate(objects):
            (folder / f"o{index}.json").write_text(json.dumps(body))
    else:
        (folder / "objects.yaml").write_text(yaml.safe_dump_all(objects))
    result = run_cli("lint", "--format", fmt, str(folder))
    clean_exit(result)
    well_formed(result, fmt)


def well_formed(result: Run, fmt: str) -> None:
    """Machine formats parse; no line of any output is a GitHub workflow command or
    holds a terminal escape, except the annotations the github format means to write."""
    import json
    from xml.etree import ElementTree

    if result.code != 2 and fmt in ("json", "sarif"):
        json.loads(result.out)
    if result.code != 2 and fmt == "junit":
        ElementTree.fromstring(result.out.split("\n", 1)[1])
    for line in (result.out + result.err).splitlines():
        assert "\x1b" not in line
        if line.startswith("::"):
            assert fmt == "github" and line.startswith(("::error file=", "::warning file=",
                                                        "::notice file=")), line


@FUZZ_CLI
@given(VALUE_TEXT, st.sampled_from(FORMATS))
@example(VALUE_REGRESSIONS[0], "json")
def test_lint_on_any_yaml_value_exits_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                              value: str, fmt: str) -> None:
    target = tmp_path_factory.mktemp("value") / "object.yaml"
    target.write_text(OBJECT.format(value))
    clean_exit(run_cli("lint", "--format", fmt, str(target)))


@pytest.mark.parametrize("value", VALUE_REGRESSIONS)
def test_value_regressions_exit_cleanly(tmp_path: Path, value: str) -> None:
    target = tmp_path / "object.yaml"
    target.write_text(OBJECT.format(value))
    result = run_cli("lint", "--format", "json", str(target))
    clean_exit(result)


@pytest.mark.slow
@FUZZ_CLI
@given(VALUE_TEXT)
@example(VALUE_REGRESSIONS[4])
def test_any_rendered_yaml_value_renders_or_fails_located(scratch: Path, value: str) -> None:
    (scratch / "fleets" / "acme.yaml").write_text((ROOT / "fleets" / "acme.yaml").read_text())
    template = scratch / "templates" / "storefront" / "zz-fuzz.yaml.j2"
    template.write_text("{% raw %}" + OBJECT.format(value) + "{% endraw %}")
    try:
        result = run_cli("render", "--check", "--no-diff", cwd=scratch)
    finally:
        template.unlink()
    clean_exit(result)
    if result.code == 2:
        assert "templates/storefront/zz-fuzz.yaml.j2:" in result.err, result.err


@pytest.mark.slow
@FUZZ_CLI
@given(CEL_TEXT, CEL_TEXT, st.sampled_from(["error", "warning", "fatal", ""]))
def test_any_policy_expression_lints_or_fails_located(scratch: Path, expression: str,
                                                       message: str, severity: str) -> None:
    (scratch / "fleets" / "acme.yaml").write_text((ROOT / "fleets" / "acme.yaml").read_text())
    policy = {
        "apiVersion": "mcgen.dev/v1alpha1", "kind": "Policy",
        "metadata": {"name": "fuzzed"},
        "spec": {"severity": severity, "match": {"kinds": ["Deployment"]},
                 "validate": {"expression": expression, "message": message}},
    }
    admission = yaml.safe_load((ROOT / "policies" / "replica-ceiling.yaml").read_text())
    admission["spec"]["validations"][0]["expression"] = expression
    admission["spec"]["variables"][0]["expression"] = message
    (scratch / "policies" / "fuzzed.yaml").write_text(yaml.safe_dump_all([policy, admission]))
    try:
        result = run_cli("lint", cwd=scratch)
    finally:
        (scratch / "policies" / "fuzzed.yaml").unlink()
    clean_exit(result)
    if result.code == 2:
        assert "policies/fuzzed.yaml:" in result.err, result.err


@pytest.mark.slow
@FUZZ_CLI
@given(st.dictionaries(st.sampled_from(["replicas", "image", "logLevel", "x", "resources"]),
                       JSONISH, max_size=4))
def test_any_values_reach_the_templates_safely(scratch: Path, values: dict[str, object]) -> None:
    spec = replaced(SPEC, ("spec", "components", 0, "values"), values)
    (scratch / "fleets" / "acme.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    clean_exit(run_cli("render", "--check", "--no-diff", cwd=scratch))


def test_a_seeded_sweep_of_spec_paths_is_reproducible() -> None:
    """Every path of the example spec can be addressed (guards the mutator itself)."""
    paths = list(paths_of(SPEC))
    chosen = random.Random(7).choice(paths[1:])
    assert replaced(SPEC, chosen, "X") != SPEC
