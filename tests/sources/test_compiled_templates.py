"""Compiled templates are kept in the user's cache folder between runs
(`mcgen.sources.jinja.compiled`): a later run compiles only the texts that changed,
renders the same bytes, and locates errors as before; a folder that is not the user's,
or an entry that is not one, is never trusted."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import jinja2
import pytest
from conftest import cold_tree, run_cli, snapshot

from mcgen.sources.jinja.compiled import ENTRIES, TemplateReads, cache_folder
from mcgen.sources.jinja.reads import template_reads
from mcgen.sources.jinja.sandbox import make_environment


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MCGEN_CACHE_DIR", str(tmp_path / "cache"))
    folder = cache_folder()
    assert folder is not None and folder.startswith(str(tmp_path / "cache"))
    return folder


def templates(tmp_path: Path, text: str) -> str:
    folder = tmp_path / "templates" / "web"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml.j2").write_text(text)
    return str(tmp_path / "templates")


def compiles(env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names `env` compiles from now on."""
    seen: list[str] = []
    real = env.compile

    def counted(source: str, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> object:
        seen.append(str(name))
        return real(source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    monkeypatch.setattr(env, "compile", counted)
    return seen


def test_a_later_run_loads_what_an_earlier_one_compiled(
        tmp_path: Path, cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = templates(tmp_path, "a: {{ values.a }}\n")
    first = make_environment(root, cache)
    seen = compiles(first, monkeypatch)
    assert first.get_template("web/config.yaml.j2").render(values={"a": 1}) == "a: 1\n"
    assert seen == ["web/config.yaml.j2"]
    later = make_environment(root, cache)
    seen = compiles(later, monkeypatch)
    assert later.get_template("web/config.yaml.j2").render(values={"a": 2}) == "a: 2\n"
    assert seen == []
    templates(tmp_path, "b: {{ values.a }}\n")  # a new text compiles anew
    again = make_environment(root, cache)
    seen = compiles(again, monkeypatch)
    assert again.get_template("web/config.yaml.j2").render(values={"a": 3}) == "b: 3\n"
    assert seen == ["web/config.yaml.j2"]


def test_an_entry_that_is_no_bytecode_is_compiled_again(
        tmp_path: Path, cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = templates(tmp_path, "a: {{ values.a }}\n")
    make_environment(root, cache).get_template("web/config.yaml.j2")
    for entry in Path(cache).glob("*.code"):
        entry.write_bytes(b"j2 not what jinja wrote")
    env = make_environment(root, cache)
    seen = compiles(env, monkeypatch)
    assert env.get_template("web/config.yaml.j2").render(values={"a": 1}) == "a: 1\n"
    assert seen == ["web/config.yaml.j2"]


def test_a_folder_others_may_write_is_not_used(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGEN_CACHE_DIR", str(tmp_path / "shared"))
    folder = cache_folder()
    assert folder is not None
    os.chmod(folder, 0o777)
    assert cache_folder() is None
    monkeypatch.setenv("MCGEN_CACHE_DIR", "off")
    assert cache_folder() is None


def test_a_relative_cache_folder_is_a_usage_error(example_repo: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(example_repo)
    monkeypatch.setenv("MCGEN_CACHE_DIR", "cache")
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2 and "MCGEN_CACHE_DIR='cache'" in result.err
    assert snapshot(example_repo) == before


def test_the_reads_of_a_text_are_kept_and_a_wrong_entry_is_made_again(
        tmp_path: Path, cache: str) -> None:
    env = make_environment(templates(tmp_path, "x"), cache)
    source = "{{ values.a.b }}{{ cluster.name }}{% for i in values.list %}{{ i }}{% endfor %}"
    wanted = template_reads(env, source)
    calls: list[int] = []

    def counted() -> object:
        calls.append(1)
        return template_reads(env, source)

    known = TemplateReads(cache)
    assert known.get(source, counted) == wanted  # type: ignore[arg-type]
    assert TemplateReads(cache).get(source, counted) == wanted  # type: ignore[arg-type]
    assert calls == [1]
    for entry in Path(cache).glob("*.reads"):
        entry.write_text('[["values", true]]')  # not a path of names and indexes
    assert TemplateReads(cache).get(source, counted) == wanted  # type: ignore[arg-type]
    assert calls == [1, 1]
    opaque = "{% include 'web/other.yaml.j2' %}"
    assert TemplateReads(cache).get(opaque, lambda: template_reads(env, opaque)) is None
    assert TemplateReads(cache).get(opaque, lambda: ()) is None  # kept: the whole context


def test_the_folder_stays_bounded(tmp_path: Path, cache: str, monkeypatch: pytest.MonkeyPatch
                                  ) -> None:
    for number in range(ENTRIES + 10):
        (Path(cache) / f"{number:040x}.code").write_bytes(b"")
    root = templates(tmp_path, "a: {{ values.a }}\n")
    make_environment(root, cache).get_template("web/config.yaml.j2")
    left = len(list(Path(cache).glob("*.code")))
    assert left <= ENTRIES // 2 + 12


def test_renders_with_kept_templates_equal_a_cold_render_and_locate_errors(
        example_repo: Path, tmp_path: Path) -> None:
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    (example_repo / "clusters").rename(tmp_path / "first")
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    assert snapshot(example_repo / "clusters") == snapshot(tmp_path / "first")
    assert snapshot(example_repo / "clusters") == cold_tree(example_repo, tmp_path)
    template = example_repo / "templates" / "storefront" / "service.yaml.j2"
    lines = template.read_text().splitlines(keepends=True)
    lines.insert(3, "# {{ values.notThere }}\n")
    template.write_text("".join(lines))
    messages = [run_cli("render", "-q", cwd=example_repo).err for _ in range(2)]
    assert messages[0] == messages[1]
    assert "templates/storefront/service.yaml.j2:4:" in messages[0], messages[0]


def test_the_cache_folder_is_the_users_own(cache: str) -> None:
    info = os.lstat(cache)
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700
