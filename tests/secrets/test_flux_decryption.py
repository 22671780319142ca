"""Flux Kustomizations of components with SOPS files decrypt them; the others do not."""

from __future__ import annotations

from pathlib import Path

import yaml

from mcgen.pipeline import RenderRequest, render

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: flux, repoURL: https://x.example/r.git%s}
  zones: {eu: {regions: [eu-west-1]}}
  clusters:
    - {name: eu-west, region: eu-west-1, kubernetesVersion: "1.31"}
  components:
    - {name: creds, template: creds, placement: {clusters: [eu-west]}}
    - {name: app, template: app, placement: {clusters: [eu-west]}}
"""
CREDS = """\
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: "ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]"}
sops: {kms: [{arn: "arn:aws:kms:eu-west-1:111122223333:key/k", enc: x}], mac: x,
       lastmodified: "2026-01-01T00:00:00Z", version: 3.11.0}
"""


def _render(root: Path, output_extra: str) -> dict[str, dict[str, object]]:
    (root / "fleets").mkdir()
    (root / "fleets" / "t.yaml").write_text(FLEET % output_extra)
    for name, text in (("creds", CREDS), ("app", "apiVersion: v1\nkind: ConfigMap\n"
                                                 "metadata: {name: app}\n")):
        (root / "templates" / name).mkdir(parents=True)
        (root / "templates" / name / "a.yaml.j2").write_text(text)
    render(RenderRequest(specs=(), cwd=str(root)))
    folder = root / "clusters" / "eu-west" / "flux-system"
    return {name: yaml.safe_load((folder / f"{name}.yaml").read_text())["spec"]
            for name in ("creds", "app")}


def test_decryption_with_the_fleets_secret(tmp_path: Path) -> None:
    specs = _render(tmp_path, ", flux: {decryption: {secretRef: sops-age}}")
    assert specs["creds"]["decryption"] == {"provider": "sops", "secretRef": {"name": "sops-age"}}
    assert "decryption" not in specs["app"]


def test_decryption_without_a_secret_uses_the_controllers_identity(tmp_path: Path) -> None:
    specs = _render(tmp_path, "")
    assert specs["creds"]["decryption"] == {"provider": "sops"}
