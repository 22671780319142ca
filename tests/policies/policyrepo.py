"""Build a throw-away fleet repository from a case and lint it.

A case may also ask for
- `render: true`: run `mcgen render` before linting (then edit the tree with `edits`);
- `base: [[old, new], ...]`: the replacements that turn the case's fleet into the base
  revision of a pull request. The base and the case's fleet are committed to a real git
  repository and linted as `mcgen ci` does, with the rendered change between them.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

from mcgen.changes import ChangeSet, change_set
from mcgen.findings import Finding
from mcgen.lint.engine import LintRequest, lint
from mcgen.pipeline import RenderRequest, render

TODAY = datetime.date(2026, 1, 1)
IDENTITY = ["-c", "user.email=dev@example.com", "-c", "user.name=Dev", "-c",
            "commit.gpgsign=false"]


def write_repo(root: Path, fleet: str, templates: dict[str, dict[str, str]],
               policies: dict[str, str] | None = None) -> Path:
    spec = root / "fleets" / "test.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(fleet)
    for template, files in templates.items():
        folder = root / "templates" / template
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text)
    for name, text in (policies or {}).items():
        (root / "policies").mkdir(exist_ok=True)
        (root / "policies" / name).write_text(text)
    return spec


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *IDENTITY, *args], cwd=root, text=True,
                          capture_output=True, check=True)
    return done.stdout.strip()


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def pull_request(root: Path, base_fleet: str, head_fleet: str,
                 templates: dict[str, dict[str, str]]) -> ChangeSet:
    """Commit `base_fleet`, then `head_fleet` on top, and render the change between."""
    git(root, "init", "-q", "-b", "main")
    write_repo(root, base_fleet, templates)
    base = commit_all(root, "base")
    write_repo(root, head_fleet, templates)
    head = commit_all(root, "head")
    return change_set(str(root), base, head)


def render_repo(root: Path) -> None:
    render(RenderRequest(cwd=str(root)))


def lint_repo(root: Path, select: tuple[str, ...] = (),
              changes: ChangeSet | None = None) -> list[Finding]:
    specs = sorted(str(p) for p in (root / "fleets").glob("*.yaml"))
    disable = () if select else ("output-drift",)
    result = lint(LintRequest(targets=tuple(specs), cwd=str(root), select=select,
                              disable=disable, today=TODAY, changes=changes))
    return list(result.findings)


def positions(findings: list[Finding]) -> list[list[object]]:
    return sorted([f.rule, f.location.path, f.location.line] for f in findings)
