"""The seven upstream charts of ../shared/corpora/charts as components of one fleet on
clusters of Kubernetes 1.25, 1.30 and 1.33: rendered, built by the real `kubectl
kustomize`, validated against each cluster's schemas and linted, with every finding
either fixed by a value or suppressed with its reason (docs/charts.md lists them)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

from helm.helmcharts import needs_sdk
from mcgen.pipeline import RenderRequest, render
from mcgen.sources.chart.source import chart_summary

pytestmark = [needs_sdk, pytest.mark.slow]

LIMITS = "{limits: {memory: 256Mi}, requests: {cpu: 50m, memory: 64Mi}}"
FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: corpus}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - {name: k125, region: us-east-1, kubernetesVersion: "1.25"}
    - {name: k130, region: us-east-1, kubernetesVersion: "1.30"}
    - {name: k133, region: us-east-1, kubernetesVersion: "1.33"}
  components:
    - name: podinfo
      namespace: podinfo
      placement: {selector: {matchLabels: {}}}
      chart: {path: charts/podinfo, values: templates/values/podinfo.yaml.j2,
              skipTests: true}
    - name: ingress-nginx
      namespace: ingress
      placement: {selector: {matchLabels: {}}}
      chart: {path: charts/ingress-nginx, values: templates/values/ingress-nginx.yaml.j2}
    - name: external-dns
      namespace: external-dns
      placement: {selector: {matchLabels: {}}}
      chart: {path: charts/external-dns, values: templates/values/limits.yaml.j2}
    - name: metrics-server
      namespace: kube-system
      placement: {selector: {matchLabels: {}}}
      chart: {path: charts/metrics-server, values: templates/values/limits.yaml.j2}
    - name: cert-manager
      namespace: cert-manager
      placement: {selector: {matchLabels: {}}}
      chart: {path: charts/cert-manager, values: templates/values/cert-manager.yaml.j2}
    - name: nginx
      namespace: web
      placement: {selector: {matchLabels: {}}}
      chart: {path: charts/nginx, values: templates/values/nginx.yaml.j2}
    - name: node-exporter
      namespace: monitoring
      placement: {selector: {matchLabels: {}}}
      chart: {path: charts/prometheus-node-exporter,
              values: templates/values/limits.yaml.j2}
  lint:
    ignore:
      - rule: privileged-container
        target: "*/node-exporter"
        reason: "node-exporter reads the node's /proc, /sys, root file system and network by design"
      - rule: access-role-missing
        target: "*/metrics-server"
        reason: "extension-apiserver-authentication-reader is a bootstrap Role of kube-system"
"""
VALUES = {
    "limits.yaml.j2": f"resources: {LIMITS}\n",
    "podinfo.yaml.j2": f"resources: {LIMITS}\n",
    "nginx.yaml.j2": "tls: {enabled: false}\n",
    "ingress-nginx.yaml.j2": (
        f"controller:\n  resources: {LIMITS}\n"
        "  service: {trafficDistribution: PreferClose}\n"
        f"  admissionWebhooks:\n    createSecretJob: {{resources: {LIMITS}}}\n"
        f"    patchWebhookJob: {{resources: {LIMITS}}}\n"),
    "cert-manager.yaml.j2": "\n".join(
        [f"resources: {LIMITS}"]
        + [f"{part}: {{resources: {LIMITS}}}" for part in ("webhook", "cainjector",
                                                            "startupapicheck")]) + "\n",
}


@pytest.fixture
def fleet(corpora: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(corpora / "charts", root / "charts",
                    ignore=shutil.ignore_patterns("README.md", "render-counts.json"))
    subprocess.run(["chmod", "-R", "u+w", str(root / "charts")], check=True)
    (root / "fleets").mkdir()
    (root / "fleets" / "corpus.yaml").write_text(FLEET)
    (root / "templates" / "values").mkdir(parents=True)
    for name, text in VALUES.items():
        (root / "templates" / "values" / name).write_text(text)
    return root


def test_the_corpus_charts_render_build_validate_and_lint(fleet: Path) -> None:
    # in-process, to count: 7 charts on 3 clusters, each distinct render once
    (output,) = render(RenderRequest(cwd=str(fleet))).outputs
    assert chart_summary(output.rendered).startswith(
        "21 chart renders by Helm for 21 (cluster, chart) pairs")
    assert run_cli("render", "--check", cwd=fleet).code == 0
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the kustomize build is not checked")
    for cluster in ("k125", "k130", "k133"):
        built = subprocess.run([kubectl, "kustomize", str(fleet / "clusters" / cluster)],
                               capture_output=True, text=True, check=False)
        assert built.returncode == 0, built.stderr
        assert "kind: CustomResourceDefinition" in built.stdout  # external-dns's crds/
    linted = run_cli("lint", cwd=fleet)
    assert linted.code == 0, linted.out
    assert "0 errors, 0 warnings" in linted.out, linted.out
    # the cluster's version reaches the chart: trafficDistribution only from 1.31 on
    for cluster, present in (("k125", False), ("k130", False), ("k133", True)):
        service = fleet / "clusters" / cluster / "ingress-nginx" / \
            "service-ingress-nginx-controller.yaml"
        assert ("trafficDistribution: PreferClose" in service.read_text()) is present


def test_without_values_the_findings_are_the_charts_own(fleet: Path) -> None:
    """What each chart triggers with its defaults (listed in docs/charts.md)."""
    for name in ("limits.yaml.j2", "podinfo.yaml.j2", "cert-manager.yaml.j2"):
        (fleet / "templates" / "values" / name).write_text("{}\n")
    spec = fleet / "fleets" / "corpus.yaml"
    spec.write_text(spec.read_text().split("  lint:")[0])
    assert run_cli("render", "-q", cwd=fleet).code == 0
    linted = run_cli("lint", cwd=fleet)
    rules = sorted({line.rsplit("[", 1)[1].rstrip("]") for line in linted.out.splitlines()
                    if line.startswith("clusters/") and line.endswith("]")})
    assert rules == ["access-role-missing", "privileged-container", "resource-limits"], \
        linted.out
    privileged = [line for line in linted.out.splitlines() if "[privileged-container]" in line]
    assert privileged and all("/node-exporter/" in line for line in privileged)
