"""A fleet repository staged by wave refs, with a bare remote, in temporary folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import run_cli

IDENTITY = ["-c", "user.email=dev@example.com", "-c", "user.name=Dev", "-c",
            "commit.gpgsign=false"]

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: shop}
spec:
  output: {dir: clusters, engine: flux, repoURL: "REMOTE", revision: main}
  rollout:
    flux: {waveRefs: true}
  zones: {us: {regions: [us-east-1, us-west-2]}}
  clusters:
    - {name: canary, region: us-east-1, kubernetesVersion: "1.31", wave: 1}
    - {name: east, region: us-east-1, kubernetesVersion: "1.31", wave: 2}
    - {name: west, region: us-west-2, kubernetesVersion: "1.31", wave: 3}
  groups:
    - {name: web, clusters: [east, west]}
  components:
    - name: web
      template: web
      namespace: web
      placement: {clusters: [canary, east, west]}
      values: {image: "nginx:1.27.0"}
"""

TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: {{ values.image }}
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *IDENTITY, *args], cwd=repo, text=True,
                          capture_output=True, check=True)
    return done.stdout.strip()


def make_repo(tmp_path: Path, extra: str = "") -> tuple[Path, Path]:
    """(work clone, bare remote) holding the rendered fleet on main."""
    remote, work = tmp_path / "remote.git", tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    git(work, "remote", "add", "origin", str(remote))
    (work / "fleets").mkdir()
    (work / "fleets" / "shop.yaml").write_text(
        FLEET.replace("REMOTE", f"file://{remote}").replace("  zones:", extra + "  zones:"))
    (work / "templates" / "web").mkdir(parents=True)
    (work / "templates" / "web" / "deployment.yaml.j2").write_text(TEMPLATE)
    commit_rendered(work, "shop fleet")
    git(work, "push", "-q", "origin", "main")
    return work, remote


def commit_rendered(work: Path, message: str) -> str:
    done = run_cli("render", "-q", cwd=work)
    assert done.code == 0, done.err
    git(work, "add", "-A")
    git(work, "commit", "-q", "--no-verify", "-m", message)
    return git(work, "rev-parse", "HEAD")


def merge_change(work: Path, image: str) -> str:
    """A change merged to main and pushed, as a pull request would land."""
    spec = work / "fleets" / "shop.yaml"
    text = spec.read_text()
    old = text.split('image: "', 1)[1].split('"', 1)[0]
    spec.write_text(text.replace(f'image: "{old}"', f'image: "{image}"'))
    sha = commit_rendered(work, f"web {image}")
    git(work, "push", "-q", "origin", "main")
    return sha


def remote_ref(remote: Path, branch: str) -> str | None:
    done = subprocess.run(["git", "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
                          cwd=remote, text=True, capture_output=True, check=False)
    return done.stdout.strip() or None


def applied_image(remote: Path, branch: str, cluster: str) -> str:
    """The image a cluster's Flux applies: its file at its wave's ref on the remote."""
    text = git(remote, "show", f"refs/heads/{branch}:clusters/{cluster}/web/deployment-web.yaml")
    return text.split("image: ", 1)[1].split()[0]
