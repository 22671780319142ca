"""Build a throw-away fleet repository from a case and lint it.

A case may also ask for
- `render: true`: run `mcgen render` before linting (then edit the tree with `edits`);
- `base: [[old, new], ...]`: the replacements that turn the case's fleet into the base
  revision of a pull request. The base and the case's fleet are committed to a real git
  repository and linted as `mcgen ci` does, with the rendered change between them;
  `base_at` is the base commit's time, and `earlier` (replacements that turn the base
  into the commit before it) with `earlier_at` gives the base a history (rollout-soak).
"""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

from mcgen.changes import ChangeSet, change_set
from mcgen.findings import Finding
from mcgen.lint.engine import LintRequest, lint
from mcgen.pipeline import RenderRequest, render
from mcgen.rollout.history import with_history

TODAY = datetime.date(2026, 1, 1)
NOW = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.UTC)
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


def commit_all(root: Path, message: str, when: str | None = None) -> str:
    git(root, "add", "-A")
    env_when = {"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when} if when else {}
    done = subprocess.run(["git", *IDENTITY, "commit", "-q", "--no-verify",
                           "--allow-empty", "-m", message], cwd=root, text=True,
                          capture_output=True, check=True,
                          env={**os.environ, **env_when})
    assert done.returncode == 0, done.stderr
    return git(root, "rev-parse", "HEAD")


def pull_request(root: Path, fleets: list[tuple[str, str | None]],
                 templates: dict[str, dict[str, str]], now: datetime.datetime = NOW
                 ) -> ChangeSet:
    """Commit each (fleet, commit time) in turn on main; the last is the pull request's
    head, the one before its base. The change carries the base's recent history."""
    git(root, "init", "-q", "-b", "main")
    shas = []
    for index, (fleet, when) in enumerate(fleets):
        write_repo(root, fleet, templates)
        shas.append(commit_all(root, f"commit {index}", when))
    return with_history(change_set(str(root), shas[-2], shas[-1]), str(root), now)


def render_repo(root: Path) -> None:
    render(RenderRequest(cwd=str(root)))


def lint_repo(root: Path, select: tuple[str, ...] = (), changes: ChangeSet | None = None,
              now: datetime.datetime = NOW) -> list[Finding]:
    specs = sorted(str(p) for p in (root / "fleets").glob("*.yaml"))
    disable = () if select else ("output-drift",)
    result = lint(LintRequest(targets=tuple(specs), cwd=str(root), select=select,
                              disable=disable, today=TODAY, changes=changes, now=now))
    return list(result.findings)


def positions(findings: list[Finding]) -> list[list[object]]:
    return sorted([f.rule, f.location.path, f.location.line] for f in findings)
