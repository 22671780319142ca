"""Every rule runs on the objects of every source kind, and its findings name the source
file the object came from and the component's line in the fleet spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from sources.fleetrepo import make_repo, spec_line

# One Deployment that breaks the object rules (a mutable tag, a privileged container
# without limits, a field the schema does not know), an API removed in Kubernetes 1.26
# and a plaintext Secret; `REPLICAS` differs between the two replicas of group `web`.
OBJECTS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: web}}
  unknownField: true
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:latest
          securityContext: {privileged: true}
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
---
apiVersion: v1
kind: Secret
metadata: {name: web-password, namespace: web}
stringData: {password: hunter2}
"""
POLICY = """apiVersion: mcgen.dev/v1alpha1
kind: Policy
metadata: {name: three-replicas}
spec:
  severity: error
  match: {kinds: [Deployment]}
  validate:
    expression: "object.spec.replicas >= 3"
    message: "Deployments need at least 3 replicas"
"""
RULES = ("schema", "deprecated-api", "replica-drift", "image-tag", "privileged-container",
         "resource-limits", "plaintext-secret", "policy-three-replicas", "residency-placement")


def objects(cluster: str) -> str:
    return OBJECTS.replace("REPLICAS", "2" if cluster == "alpha" else "3")


def sources(kind: str) -> tuple[str, dict[str, str], str]:
    """The component's source line, its files, and the file findings should name."""
    if kind == "template":
        text = OBJECTS.replace("REPLICAS", "{{ 2 if cluster.name == 'alpha' else 3 }}")
        return "template: web", {"templates/web/web.yaml.j2": text}, "templates/web/web.yaml.j2"
    if kind == "kustomize":
        found = {f"kustomize/{c}/kustomization.yaml": "resources: [objects.yaml]\n"
                 for c in ("alpha", "beta")}
        found.update({f"kustomize/{c}/objects.yaml": objects(c) for c in ("alpha", "beta")})
        return "kustomize: kustomize/{cluster}", found, "kustomize/alpha/objects.yaml"
    found = {f"manifests/{c}/objects.yaml": objects(c) for c in ("alpha", "beta")}
    return "manifests: manifests/{cluster}", found, "manifests/alpha/objects.yaml"


@pytest.mark.parametrize("kind", ["template", "kustomize", "manifests"])
def test_every_rule_finds_its_problem_and_names_the_source(kind: str, tmp_path: Path) -> None:
    if kind == "kustomize" and not (shutil.which("kubectl") or shutil.which("kustomize")):
        pytest.skip("neither kubectl nor kustomize is installed here")
    line, files, shown = sources(kind)
    files["policies/three-replicas.yaml"] = POLICY
    component = (f"    - name: web\n      namespace: web\n      dataClass: eu-only\n"
                 f"      placement: {{groups: [web]}}\n      {line}\n")
    repo = make_repo(tmp_path / "repo", component, files)
    spec = repo / "fleets/demo.yaml"
    spec.write_text(spec.read_text().replace(
        "  zones:\n", "  dataClasses:\n    eu-only: {residency: [eu]}\n  zones:\n"
                      "    eu: {regions: [eu-west-1]}\n"))
    result = run_cli("lint", "--format", "text", cwd=repo)
    assert result.code == 1, result.out + result.err
    findings = result.out.split("\n" + "clusters/")
    fleet_line = f"fleets/demo.yaml:{spec_line(repo, '- name: web')}:"
    for rule in RULES:
        found = [f for f in result.out.split("\n") if f.endswith(f"[{rule}]")]
        assert found, f"{rule} found nothing on a {kind} component:\n{result.out}"
    for rule in set(RULES) - {"residency-placement", "replica-drift"}:
        block = next(chunk for chunk in findings if f"[{rule}]" in chunk and "alpha" in chunk)
        assert f"{shown}:" in block, f"{rule} does not name {shown}:\n{block}"
        assert fleet_line in block, f"{rule} does not name the fleet line:\n{block}"
