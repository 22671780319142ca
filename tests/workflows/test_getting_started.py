"""docs/getting-started.md followed literally: its commands and files, in order, in an
empty folder, end in a fleet that renders and lints clean; and its replication group's
`allowedDifferences` is what keeps it clean (the finding the page shows is the real one).

The page's install step (a venv and `pip install` from PyPI) is the one step not run:
the tests run the mcgen under test, whose `mcgen` is put first on PATH instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PAGE = ROOT / "docs/getting-started.md"
# A file the page asks for (`path`: then a fenced block), or a shell block.
_STEP = re.compile(r"(?:^`(?P<path>[^`\n]+)`:\n\n)?^```(?P<lang>\w*)\n(?P<body>.*?)^```$",
                   re.S | re.M)


def page_script(text: str) -> str:
    """The page as one bash script: files written with heredocs, commands as they are."""
    lines = ["set -euo pipefail"]
    for step in _STEP.finditer(text):
        body = step["body"]
        if step["path"]:
            lines += [f"cat > {step['path']} <<'MCGEN_DOC_EOF'", body + "MCGEN_DOC_EOF"]
        elif step["lang"] == "sh" and "pip install" not in body:
            lines.append(body)
    return "\n".join(lines) + "\n"


def follow(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
           "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "NO_COLOR": "1"}
    return subprocess.run(["bash", "-c", page_script(text)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)


def mcgen(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "mcgen"), *args], cwd=repo,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_COLOR": "1"})


def test_the_page_followed_literally_renders_and_lints_clean(tmp_path: Path) -> None:
    done = follow(tmp_path, PAGE.read_text())
    assert done.returncode == 0, done.stdout + done.stderr
    repo = tmp_path / "acme-fleet"
    assert "the tree is up to date" in done.stderr + done.stdout
    lint = mcgen(repo, "lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert lint.stdout.endswith(": 0 errors, 0 warnings\n"), lint.stdout
    files = {p.relative_to(repo).as_posix() for p in (repo / "clusters").rglob("*.yaml")}
    listed = re.findall(r"^(clusters/us-west/\S+)", PAGE.read_text(), re.M)
    assert listed and set(listed) <= files  # the tree the page shows is the one written
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                            text=True, check=True)
    assert status.stdout == ""  # the page's commit took everything


def test_allowed_differences_is_what_keeps_the_page_clean(tmp_path: Path) -> None:
    text = PAGE.read_text()
    entry = "        - {kind: ConfigMap, name: hello-identity}\n"
    assert entry in text
    without = text.replace("      allowedDifferences:         # ...except what is listed here\n"
                           + entry, "")
    assert without != text
    done = follow(tmp_path, without)
    assert done.returncode != 0  # `mcgen lint` on the page now fails...
    shown = re.search(r"^clusters/us-east/hello/configmap-hello-identity\.yaml:.*$", text, re.M)
    assert shown is not None
    assert shown.group(0) in done.stdout  # ...with the very finding the page shows
