"""The sandbox's bounds at their edges, and its smaller promises, rendered directly
(mcgen/sources/jinja/sandbox.py): the largest exponent and repetition allowed and one
more, JSON with sorted keys, set results in order, includes only by plain names."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from mcgen.sources.jinja.sandbox import make_environment, template_error


def render(tmp_path: Path, text: str) -> str:
    return make_environment(str(tmp_path)).from_string(text).render()


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(jinja2.exceptions.SecurityError) as caught:
        render(tmp_path, text)
    return str(caught.value)


def test_exponents_up_to_4096(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ (2 ** 4096) | string | length }}") == "1234"
    assert render(tmp_path, "{{ 2 ** -4096 }}") == "0.0"  # below the smallest float
    assert refused(tmp_path, "{{ 2 ** 4097 }}") == "exponent 4097 is too large"
    assert refused(tmp_path, "{{ 2 ** -4097 }}") == "exponent -4097 is too large"


def test_repetition_up_to_a_million_items(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ ('x' * 1000000) | length }}") == "1000000"
    assert render(tmp_path, "{{ ([0] * 1000000) | length }}") == "1000000"
    for text in ("{{ 'x' * 1000001 }}", "{{ 1000001 * 'x' }}", "{{ [0] * 1000001 }}"):
        assert refused(tmp_path, text) == (
            "repeating a sequence 1000001 times would exceed 1,000,000 items"), text


def test_to_json_sorts_keys(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ {'b': 1, 'a': {'d': 2, 'c': 3}} | to_json }}") == (
        '{"a":{"c":3,"d":2},"b":1}')


def test_a_set_difference_comes_out_in_order(tmp_path: Path) -> None:
    """`keys() - [...]` is a set: written as it iterates, it would follow the hash seed."""
    text = "{{ ({'m': 1, 'b': 1, 'x': 1, 'a': 1}.keys() - ['x']) | join(',') }}"
    assert render(tmp_path, text) == "a,b,m"


def test_percent_formatting_is_bounded(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ '%s-%s' % ('a', 'b') }}") == "a-b"
    refused(tmp_path, "{{ '%999999999s' % 'a' }}")


def test_includes_take_plain_names_only(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/part.yaml.j2").write_text("part\n")
    env = make_environment(str(tmp_path))
    assert env.from_string('{% include "app/part.yaml.j2" %}').render() == "part\n"
    for name in ("app/./part.yaml.j2", "app//part.yaml.j2", "./app/part.yaml.j2",
                 "app\\\\part.yaml.j2", "/app/part.yaml.j2"):
        with pytest.raises(jinja2.TemplateNotFound):
            env.from_string(f'{{% include "{name}" %}}').render()


def test_an_error_without_line_or_text_is_located_on_line_one() -> None:
    error = template_error(ValueError(), "templates/app/a.yaml.j2", "/nowhere")
    assert [str(p) for p in error.problems] == [
        "templates/app/a.yaml.j2:1:1: error: template error: ValueError: ValueError"]


def test_a_syntax_error_is_reported_by_its_message_alone() -> None:
    """Jinja's parser raises an error whose `str()` adds its own `File ..., line N`
    (until Jinja's handler rewrites it): the report has the message, once located."""
    raised = jinja2.TemplateSyntaxError("unexpected '}'", 2, name="app/a.yaml.j2")
    assert "line 2" in str(raised)
    error = template_error(raised, "templates/app/a.yaml.j2", "/nowhere")
    assert [str(p) for p in error.problems] == [
        "templates/app/a.yaml.j2:2:1: error: template syntax error: unexpected '}'"]


def test_block_tags_leave_no_blank_lines_or_indentation(tmp_path: Path) -> None:
    """trim_blocks and lstrip_blocks: a `{% if %}` on its own indented line writes nothing,
    so YAML templates keep their shape; the trailing newline is kept."""
    text = "data:\n  {% if true %}\n  a: 1\n  {% endif %}\n  b: 2\n"
    assert render(tmp_path, text) == "data:\n  a: 1\n  b: 2\n"


def test_a_go_template_is_named_without_jinjas_offset(tmp_path: Path) -> None:
    """Jinja says "unexpected char '$' at 6" (an offset into the whole text): the column
    already says where, so the offset is dropped."""
    with pytest.raises(jinja2.TemplateSyntaxError) as caught:
        make_environment(str(tmp_path)).from_string("a: {{ $x := .Values.a }}\n")
    error = template_error(caught.value, "templates/app/a.yaml.j2", "/nowhere")
    assert [str(p) for p in error.problems] == [
        "templates/app/a.yaml.j2:1:4: error: template syntax error: unexpected char '$': "
        "`{{ $x := .Values.a }}` is Go template syntax (Helm, Prometheus, Alertmanager), "
        "which Jinja2 reads as its own; to keep it literal in the output, wrap it in "
        "`{% raw %}...{% endraw %}`"]


@pytest.mark.parametrize(("text", "message"), [
    ("{% set a = 'x' * 1000000 %}{{ '{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}{0}'"
     ".format(a) }}",
     "str.format would build 17,000,051 characters, more than the 16,777,216 a template may"),
    ("{% set a = 'x' * 1000000 %}{{ ('%s' * 17) % ((a,) * 17) }}",
     "`%` would build 17,000,034 characters, more than the 16,777,216 a template may"),
    ("{{ 'ab'.center(20000000) }}",
     "str.center would build 20,000,000 characters, more than the 16,777,216 a template may"),
    ("{{ [0] * 1000000 + [1] }}",
     "`+` would build a list of 1,000,001 items, more than the 1,000,000 a template may"),
    ("{% set x = (2 ** 4096) ** 244 %}{{ x * x }}",
     "`*` would build an integer of 1,998,850 bits, more than the 1,000,000 a template may"),
    ("{{ (10 ** 4000) ** 300 }}",
     "`**` would build an integer of 3,986,400 bits, more than the 1,000,000 a template may"),
])
def test_each_growing_step_says_which_step_and_by_how_much(tmp_path: Path, text: str,
                                                           message: str) -> None:
    """The refusal names the operator or method that would grow the value, and the
    size it would reach, so a template author can find the step in a long template."""
    assert refused(tmp_path, text) == message


SIXTEEN_MB = ("{% set s = 'ß' * 1000000 %}{% set t = " + " ~ ".join(["s"] * 16) + " %}")


@pytest.mark.parametrize(("text", "message"), [
    # 'ß'.upper() is 'SS': a method may double a text the sandbox let through
    (SIXTEEN_MB + "{{ t.upper() }}", "calling upper would build 32,000,000 characters, more "
                                     "than the 16,777,216 a template may"),
    # a block is called by its name (`self.b()`), and writes no TextBuffer of its own
    ("{% set s = 'x' * 1000000 %}{% if false %}{% block b %}{% for i in range(17) %}{{ s }}"
     "{% endfor %}{% endblock %}{% endif %}{{ self.b() | length }}",
     "calling b would build 17,000,000 characters, more than the 16,777,216 a template may"),
])
def test_a_call_returning_too_much_is_named_by_what_was_called(tmp_path: Path, text: str,
                                                               message: str) -> None:
    assert refused(tmp_path, text) == message


def test_a_recursive_loop_is_bounded_by_its_buffer(tmp_path: Path) -> None:
    """`loop(...)` (the one callable without a name) writes a TextBuffer, refused first."""
    text = ("{% set s = 'x' * 1000000 %}{% for i in [1] recursive %}{% if loop.depth < 2 %}"
            "{{ loop(range(17)) | length }}{% else %}{{ s }}{% endif %}{% endfor %}")
    assert refused(tmp_path, text) == ("the text of this block or macro would build "
                                       "17,000,000 characters, more than the 16,777,216 a "
                                       "template may")


def test_names_that_resolve_inside_templates_are_refused_all_the_same(tmp_path: Path) -> None:
    """`..`, `.`, empty parts and backslashes are refused by spelling, not only when they
    would leave templates/: a name means one file, the same on every checkout."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app/part.yaml.j2").write_text("part\n")
    (tmp_path / "app\\part.yaml.j2").write_text("a file whose name holds a backslash\n")
    env = make_environment(str(tmp_path))
    for name in ("app/../app/part.yaml.j2", "app/./part.yaml.j2", "app//part.yaml.j2",
                 "app\\part.yaml.j2"):
        with pytest.raises(jinja2.TemplateNotFound) as caught:
            env.get_template(name)
        assert caught.value.name == name


def test_a_template_is_read_once_per_environment(tmp_path: Path) -> None:
    """One render sees one set of templates: a change on disk meanwhile is not read."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app/part.yaml.j2").write_text("before\n")
    env = make_environment(str(tmp_path))
    assert env.get_template("app/part.yaml.j2").render() == "before\n"
    (tmp_path / "app/part.yaml.j2").write_text("after, and longer\n")
    assert env.get_template("app/part.yaml.j2").render() == "before\n"
    assert make_environment(str(tmp_path)).get_template("app/part.yaml.j2").render() == (
        "after, and longer\n")


def test_a_refused_call_is_located_in_a_real_render(example_repo: Path) -> None:
    from conftest import run_cli, snapshot

    template = example_repo / "templates" / "storefront" / "service.yaml.j2"
    template.write_text(template.read_text() + "# {% set s = 'x' * 1000000 %}\n"
                        "# {% if false %}{% block b %}{% for i in range(17) %}{{ s }}"
                        "{% endfor %}{% endblock %}{% endif %}\n"
                        "# {{ self.b() | length }}\n")
    lines = template.read_text().count("\n")
    before = snapshot(example_repo)
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2, result.err
    assert (f"templates/storefront/service.yaml.j2:{lines}:1: error: template refused by the "
            "sandbox: calling b would build 17,000,000 characters, more than the 16,777,216 "
            "a template may") in result.err
    assert "Traceback" not in result.err
    assert snapshot(example_repo) == before
