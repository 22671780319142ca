"""A small fleet repository in a temporary folder, with any component sources."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import run_cli

SPEC = "fleets/demo.yaml"
HEAD = """apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: demo}
spec:
  output: {dir: clusters, engine: kustomize}
  zones:
    us: {regions: [us-east-1]}
  clusters:
    - {name: alpha, region: us-east-1, kubernetesVersion: "1.31"}
    - {name: beta, region: us-east-1, kubernetesVersion: "1.31"}
  groups:
    - {name: web, clusters: [alpha, beta]}
  components:
"""
IDENTITY = ["-c", "user.email=dev@example.com", "-c", "user.name=Dev",
            "-c", "commit.gpgsign=false"]

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 200m, memory: 128Mi}
"""


def make_repo(root: Path, components: str, files: dict[str, str]) -> Path:
    """A git repository holding the fleet spec (its components indented under
    `components:`) and `files` (repo-relative path -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    write(root, SPEC, HEAD + components)
    for path, text in files.items():
        write(root, path, text)
    git(root, "init", "-q", "-b", "main")
    return root


def write(root: Path, path: str, text: str | bytes) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *IDENTITY, *args], cwd=repo, text=True,
                          capture_output=True, check=True)


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


def spec_line(repo: Path, needle: str) -> int:
    """The 1-based line of the fleet spec holding `needle`."""
    lines = (repo / SPEC).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def render_ok(repo: Path) -> None:
    result = run_cli("render", "-q", cwd=repo)
    assert result.code == 0, result.out + result.err
