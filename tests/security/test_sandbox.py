"""Templates are untrusted input: known injection payloads and path tricks all fail cleanly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

TEMPLATE = "templates/storefront/service.yaml.j2"

PAYLOADS = {
    "mro-subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler-globals": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].environ }}",
    "joiner": "{{ joiner.__init__.__globals__ }}",
    "namespace": "{{ namespace.__init__.__globals__ }}",
    "range-globals": "{{ range.__init__.__globals__ }}",
    "config": "{{ config.items() }}",
    "request": "{{ request.application.__globals__ }}",
    "self-context": "{{ self._TemplateReference__context }}",
    "attr-filter": "{{ (''|attr('__class__')|attr('__mro__'))[1] }}",
    "format-string": "{{ '{0.__class__.__mro__}'.format(values) }}",
    "format-map": "{{ '{x.__class__}'.format_map({'x': values}) }}",
    "dict-mutation": "{% set _ = values.update({'replicas': 99}) %}x: 1",
    "list-mutation": "{% set _ = cluster.groups.append('x') %}x: 1",
    "environ": "{{ environ['HOME'] }}",
    "os-module": "{{ os.environ }}",
    "include-outside": "{% include '../../fleets/acme.yaml' %}",
    "include-absolute": "{% include '/etc/passwd' %}",
    "import-outside": "{% import '../fleets/acme.yaml' as x %}",
    "getattr-global": "{{ values.__class__.__base__.__subclasses__() }}",
    # More of the published catalogue (PayloadsAllTheThings, HackTricks), all refused:
    "item-dunder": "{{ values['__class__'] }}",
    "escaped-dunder": "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "tuple-bases": "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "type-mro": "{{ dict.mro()[1].__subclasses__() }}",
    "type-init-globals": "{{ dict.__init__.__globals__ }}",
    "range-globals-direct": "{{ range.__globals__ }}",
    "range-code": "{{ range.__code__ }}",
    "method-self": "{{ values.items.__self__ }}",
    "self-dict": "{{ self.__dict__ }}",
    "macro-globals": "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "loop-internals": "{% for x in [1] %}{{ loop._iterator }}{% endfor %}",
    "format-item": "{{ '{0[__class__]}'.format(values) }}",
    "selectattr-dunder": "{{ [values] | selectattr('__class__') | list }}",
    "sum-attribute": "{{ [values] | sum(attribute='__class__') }}",
    "set-block-class": "{% set x %}1{% endset %}{{ x.__class__ }}",
    "doc-string": "{{ ''.__doc__ }}",
    "dict-setdefault": "{{ values.setdefault('x', 1) }}",
    "list-pop": "{{ cluster.groups.pop() }}",
    "lipsum-bare": "{{ lipsum }}",
    "cycler-bare": "{{ cycler(1, 2).next() }}",
    "joiner-bare": "{{ joiner() }}",
    "namespace-bare": "{% set ns = namespace(x=1) %}{{ ns }}",
    "flask-globals": "{{ url_for.__globals__ }}",
    "extends-outside": "{% extends '/etc/passwd' %}",
    "from-import-outside": "{% from '../fleets/acme.yaml' import x %}",
    "include-dot-dot-inside": "{% include 'storefront/../../fleets/acme.yaml' %}",
    "include-backslash": "{% include 'storefront\\\\..\\\\..\\\\fleets\\\\acme.yaml' %}",
    "include-absolute-repo": "{% include '" + str(Path(__file__).resolve().parents[2]
                                                 / "fleets/acme.yaml") + "' %}",
    "print-function": "{{ values.items }}",  # a memory address: non-deterministic output
}


# Refused for the right reason, not because the output happened not to be an object.
REASONS = ("refused by the sandbox", "undefined in template", "template not found")


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_injection_payload_fails_with_a_located_error(name: str, example_repo: Path) -> None:
    (example_repo / TEMPLATE).write_text(f"apiVersion: v1\nkind: ConfigMap\n{PAYLOADS[name]}\n")
    before = snapshot(example_repo)
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2, result.out + result.err
    assert f"{TEMPLATE}:3:1: error: " in result.err and "Traceback" not in result.err
    assert any(reason in result.err for reason in REASONS), result.err
    assert snapshot(example_repo) == before


def test_process_environment_is_not_reachable(example_repo: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_TEST_SECRET", "hunter2")
    (example_repo / TEMPLATE).write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
        "data: {a: \"{{ fleet }}{{ cluster }}{{ values }}{{ component }}\"}\n")
    assert run_cli("render", cwd=example_repo).code == 0
    written = "".join(p.read_text() for p in (example_repo / "clusters").rglob("*.yaml"))
    assert "hunter2" not in written and "MCGEN_TEST_SECRET" not in written


def test_a_symlinked_template_leading_outside_is_refused(example_repo: Path,
                                                         tmp_path_factory: pytest.TempPathFactory
                                                         ) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml.j2"
    outside.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\n")
    partial = example_repo / "templates/storefront/_evil.j2"
    os.symlink(outside, partial)
    (example_repo / TEMPLATE).write_text("{% include 'storefront/_evil.j2' %}\n")
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2 and "template not found" in result.err


def test_a_symlinked_output_folder_leading_outside_is_refused(
        example_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    target = example_repo / "clusters" / "us-west" / "storefront"
    for child in target.iterdir():
        child.unlink()
    target.rmdir()
    os.symlink(outside, target)
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2 and "symlink leading outside" in result.err
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("name", ["../x", "/abs", "us-west\x00", "us\uff0dwest", "us-w\u0435st",
                                  "US-WEST", "a" * 64, "-lead", "trail-", "a/b", "."])
def test_names_that_could_become_paths_are_input_errors(name: str, example_repo: Path) -> None:
    spec = example_repo / "fleets/acme.yaml"
    spec.write_text(spec.read_text().replace("    - name: us-west\n",
                                             f"    - name: {name!r}\n".replace("'", '"'), 1))
    before = snapshot(example_repo)
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2, result.err
    assert "fleets/acme.yaml:" in result.err
    assert snapshot(example_repo) == before


@pytest.mark.parametrize("value", ["../outside", "/tmp/abs", ".", ".git/x", "a\\\\b"])
def test_output_dir_must_stay_inside_the_repository(value: str, example_repo: Path) -> None:
    spec = example_repo / "fleets/acme.yaml"
    spec.write_text(spec.read_text().replace("dir: clusters", f'dir: "{value}"', 1))
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2 and "spec.output" not in result.out
    assert "fleets/acme.yaml:" in result.err


# Found by tests/fuzz: the builtin range() and unbounded `*` could exhaust the machine.
EXHAUSTING = {
    "huge-range": "{{ range(10**9) | list }}",
    "string-repeat": "{{ 'x' * 10**10 }}",
    "list-repeat": "{{ [1] * 10**9 }}",
    "power-tower": "{{ 9**9**9 }}",
}


@pytest.mark.parametrize("name", sorted(EXHAUSTING))
def test_resource_exhaustion_is_refused_quickly(name: str, example_repo: Path) -> None:
    (example_repo / TEMPLATE).write_text(f"a: {EXHAUSTING[name]}\n")
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2 and f"{TEMPLATE}:1:1: error: " in result.err, result.err
