"""What mcgen prints quotes pull-request text; it must stay inert wherever it lands.

Found in review: a newline in an object name or a spec key put `::error ...` at the
start of a line of `mcgen lint` / `mcgen render` output, which GitHub Actions runs as a
workflow command (fake annotations, `::stop-commands::`); terminal escapes went out
raw; the Markdown report (a PR comment) turned names into links, images and @mentions;
JUnit could hold characters XML forbids.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import run_cli

HOSTILE = "x\\n::error file=README.md::pwned \\u001b[31m [l](https://evil) <b>@org/team"
MANIFEST = (f'apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: "{HOSTILE}"}}\n'
            "data: {a: b}\nunknown: 1\n")


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(MANIFEST)
    return path


def inert(text: str) -> None:
    for line in text.splitlines():
        assert not line.startswith("::"), line
        assert "\x1b" not in line


def test_text_findings_stay_one_line(manifest: Path) -> None:
    result = run_cli("lint", str(manifest))
    assert result.code == 1
    inert(result.out + result.err)
    assert "x\\n::error file=README.md::pwned \\x1b[31m" in result.out


def test_input_errors_stay_one_line(example_repo: Path) -> None:
    spec = example_repo / "fleets/acme.yaml"
    spec.write_text(spec.read_text().replace("  defaults:\n", f'  "{HOSTILE}": 1\n  defaults:\n'))
    result = run_cli("render", "--check", cwd=example_repo)
    assert result.code == 2
    inert(result.out + result.err)


def test_github_annotations_are_mcgens_own(manifest: Path) -> None:
    result = run_cli("lint", "--format", "github", "--select", "schema", str(manifest))
    commands = [line for line in result.out.splitlines() if line.startswith("::")]
    assert len(commands) == 1 and commands[0].startswith("::error file=")
    assert "%0A::error" in commands[0]
    # With every rule (object-name refuses the hostile name too): each line is mcgen's.
    result = run_cli("lint", "--format", "github", str(manifest))
    commands = [line for line in result.out.splitlines() if line.startswith("::")]
    assert len(commands) == 2 and all(c.startswith("::error file=") for c in commands)


def test_markdown_shows_names_as_text(manifest: Path) -> None:
    result = run_cli("lint", "--format", "markdown", str(manifest))
    inert(result.out)
    assert "](https://evil)" not in result.out.replace("\\]", "")
    assert "<b>" not in result.out and "@org" not in result.out
    assert "\\[l\\]" in result.out and "&#64;org/team" in result.out


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_machine_formats_stay_well_formed(manifest: Path, fmt: str) -> None:
    manifest.write_text(MANIFEST.replace("\\u001b", "\\u0001\\u001b\\u0000"))
    result = run_cli("lint", "--format", fmt, str(manifest))
    assert result.code == 1
    if fmt == "junit":
        ElementTree.fromstring(result.out.split("\n", 1)[1])
    else:
        json.loads(result.out)
