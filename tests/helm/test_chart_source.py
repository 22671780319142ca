"""`chart:` components through the whole pipeline: render, check, lint, diff, bad input."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_cli, snapshot

from helm.helmcharts import make_chart, needs_sdk
from mcgen.helm import native

pytestmark = needs_sdk

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: demo}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  defaults:
    values: {greeting: hello}
  clusters:
    - {name: old, region: us-east-1, kubernetesVersion: "1.25"}
    - {name: mid, region: us-east-1, kubernetesVersion: "1.30", values: {greeting: hi}}
    - {name: new, region: us-east-1, kubernetesVersion: "1.33"}
  components:
    - name: web
      namespace: web
      placement: {selector: {matchLabels: {}}}
      chart:
        path: CHART
        values: templates/chart-values/web.yaml.j2
        release: site
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          env:
            - {name: GREETING, value: {{ .Values.greeting | quote }}}
"""
PROBE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-capabilities
data:
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
  hpaV2beta2: {{ .Capabilities.APIVersions.Has "autoscaling/v2beta2" | quote }}
"""
HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations: {"helm.sh/hook": post-install}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: registry.example.com/migrate:1.0.0}]
"""
VALUES = "greeting: {{ values.greeting }}\nreplicas: 2\n"
SCHEMA = ('{"type": "object", "properties": {"replicas": {"type": "integer"},'
          ' "greeting": {"type": "string"}}}')


def load(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text())
    assert isinstance(loaded, dict)
    return loaded


def repo(tmp_path: Path, chart_path: str = "charts/web") -> Path:
    root = tmp_path / "repo"
    (root / "fleets").mkdir(parents=True)
    (root / "fleets" / "demo.yaml").write_text(FLEET.replace("CHART", chart_path))
    (root / "templates" / "chart-values").mkdir(parents=True)
    (root / "templates" / "chart-values" / "web.yaml.j2").write_text(VALUES)
    chart = make_chart(root / "charts", "web", {"deployment.yaml": DEPLOYMENT,
                                                "probe.yaml": PROBE, "job.yaml": HOOK},
                       values="replicas: 1\nhostNetwork: false\ngreeting: none\n")
    (chart / "values.schema.json").write_text(SCHEMA)
    return root


def test_a_chart_renders_per_cluster_with_the_fleets_values(tmp_path: Path) -> None:
    root = repo(tmp_path)
    result = run_cli("render", cwd=root)
    assert result.code == 0, result.err
    assert result.err.count("\n") == 1  # the summary line only
    for cluster, kube, beta, greeting in (("old", "v1.25.0", "true", "hello"),
                                          ("mid", "v1.30.0", "false", "hi"),
                                          ("new", "v1.33.0", "false", "hello")):
        folder = root / "clusters" / cluster / "web"
        probe = load(folder / "configmap-site-capabilities.yaml")
        assert probe["data"] == {"kube": kube, "hpaV2beta2": beta}
        deployment = load(folder / "deployment-site.yaml")
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["env"] == [{"name": "GREETING", "value": greeting}]
        assert deployment["metadata"]["namespace"] == "web"
        assert deployment["metadata"]["labels"]["mcgen.dev/component"] == "web"
        assert "charts/web" in (folder / "deployment-site.yaml").read_text().split("\n")[0]
        job = load(folder / "job-site-migrate.yaml")
        assert job["metadata"]["labels"]["mcgen.dev/helm-hook"] == "true"
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "post-install"
    assert run_cli("render", "--check", cwd=root).code == 0


@pytest.mark.parametrize("change", ["template", "values", "chart values", "schema"])
def test_render_check_sees_every_chart_input(tmp_path: Path, change: str) -> None:
    root = repo(tmp_path)
    assert run_cli("render", "-q", cwd=root).code == 0
    target, old, new = {
        "template": ("charts/web/templates/deployment.yaml", "replicas:", "replicas: 3 #"),
        "values": ("templates/chart-values/web.yaml.j2", "replicas: 2", "replicas: 4"),
        "chart values": ("charts/web/values.yaml", "hostNetwork: false", "hostNetwork: true"),
        "schema": ("charts/web/values.schema.json", '"integer"', '"string"'),
    }[change]
    path = root / target
    path.write_text(path.read_text().replace(old, new, 1))
    checked = run_cli("render", "--check", cwd=root)
    assert checked.code in (1, 2), checked.err
    if change == "schema":
        assert checked.code == 2 and "templates/chart-values/web.yaml.j2:2:" in checked.err
    else:
        assert checked.code == 1 and "deployment-site.yaml" in checked.out


def test_a_vendored_archive_change_is_seen(tmp_path: Path) -> None:
    root = repo(tmp_path)
    archive = Path(native.package(str(root / "charts" / "web"), str(root / "charts")))
    fleet = root / "fleets" / "demo.yaml"
    fleet.write_text(fleet.read_text().replace("path: charts/web", f"path: charts/{archive.name}"))
    assert run_cli("render", "-q", cwd=root).code == 0
    assert "charts/web-0.1.0.tgz" in (
        root / "clusters" / "old" / "web" / "deployment-site.yaml").read_text()
    deployment = root / "charts" / "web" / "templates" / "deployment.yaml"
    deployment.write_text(deployment.read_text().replace("replicas:", "replicas: 5 #"))
    archive.unlink()
    native.package(str(root / "charts" / "web"), str(root / "charts"))
    checked = run_cli("render", "--check", cwd=root)
    assert checked.code == 1 and "replicas: 5" in checked.out


@pytest.mark.parametrize("case", ["missing chart", "missing values", "broken template",
                                  "schema", "kubeVersion"])
def test_bad_chart_input_is_exit_2_at_its_lines_with_nothing_written(tmp_path: Path,
                                                                    case: str) -> None:
    root = repo(tmp_path)
    assert run_cli("render", "-q", cwd=root).code == 0
    before = snapshot(root)
    fleet = root / "fleets" / "demo.yaml"
    if case == "missing chart":
        fleet.write_text(fleet.read_text().replace("path: charts/web", "path: charts/nope"))
        where = "fleets/demo.yaml:18:"
    elif case == "missing values":
        fleet.write_text(fleet.read_text().replace("chart-values/web.yaml.j2", "nope.yaml.j2"))
        where = "fleets/demo.yaml:19:"
    elif case == "broken template":
        deployment = root / "charts" / "web" / "templates" / "deployment.yaml"
        deployment.write_text(deployment.read_text().replace(
            "{{ .Values.replicas }}", "{{ .Values.replicas | nosuch }}"))
        where = "charts/web/templates/deployment.yaml:6:"
    elif case == "schema":
        values = root / "templates" / "chart-values" / "web.yaml.j2"
        values.write_text("greeting: {{ values.greeting }}\nreplicas: many\n")
        where = "templates/chart-values/web.yaml.j2:2:"
    else:
        chart_yaml = root / "charts" / "web" / "Chart.yaml"
        chart_yaml.write_text(chart_yaml.read_text() + "kubeVersion: '>=1.28.0-0'\n")
        where = "charts/web/Chart.yaml"
    edited = snapshot(root)
    result = run_cli("render", cwd=root)
    assert result.code == 2, result.err
    assert where in result.err, result.err
    assert "Traceback" not in result.err
    assert "fleets/demo.yaml:" in result.err  # the component's line, always
    assert snapshot(root) == edited and edited != before


def test_lint_findings_name_the_chart_template(tmp_path: Path) -> None:
    root = repo(tmp_path)
    chart_values = root / "charts" / "web" / "values.yaml"
    chart_values.write_text(chart_values.read_text().replace("hostNetwork: false",
                                                             "hostNetwork: true"))
    assert run_cli("render", "-q", cwd=root).code == 0
    linted = run_cli("lint", cwd=root)
    lines = linted.out.splitlines()
    found = [i for i, line in enumerate(lines) if "hostNetwork: true" in line]
    assert found and linted.code == 1, linted.out
    assert "3 errors" in linted.out  # one per cluster (alike ones are printed once)
    for index in found:
        assert "[privileged-container]" in lines[index]
        # the chart template's line that set it, and the component's fleet line
        assert lines[index + 1].strip() == "chart: charts/web/templates/deployment.yaml:11:1"
        assert lines[index + 2].strip().startswith("fleet: fleets/demo.yaml:14:")


def test_diff_and_ci_see_a_chart_change(tmp_path: Path) -> None:
    root = repo(tmp_path)
    assert run_cli("render", "-q", cwd=root).code == 0
    git = ["git", "-C", str(root), "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    deployment = root / "charts" / "web" / "templates" / "deployment.yaml"
    deployment.write_text(deployment.read_text().replace("image: registry.example.com/web:1.0.0",
                                                         "image: registry.example.com/web:1.1.0"))
    assert run_cli("render", "-q", cwd=root).code == 0
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "bump"], check=True)
    diffed = run_cli("diff", "--base", "HEAD~1", cwd=root)
    assert "3 object changes on 3 clusters" in diffed.out, diffed.out + diffed.err
    assert "Deployment web/site" in diffed.out
    assert "spec.template.spec.containers[0].image" in diffed.out
    gate = run_cli("ci", "--base", "HEAD~1", cwd=root)
    assert "Deployment web/site" in gate.out, gate.out + gate.err


def test_without_the_helm_package_the_error_says_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """helm-python-sdk is installed here, so its absence is what `sdk_available` says."""
    root = repo(tmp_path)
    monkeypatch.setattr(native, "sdk_available", lambda: False)
    result = run_cli("render", cwd=root)
    assert result.code == 2 and not (root / "clusters").exists()
    assert "fleets/demo.yaml:17:" in result.err
    assert "pip install 'mcgen-gitops[helm]'" in result.err
    assert "additional_dependencies" in result.err


def test_an_unknown_engine_and_a_missing_binary_are_input_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo(tmp_path)
    monkeypatch.setenv("MCGEN_HELM", "nosuch")
    unknown = run_cli("render", cwd=root)
    assert unknown.code == 2 and "MCGEN_HELM=nosuch names no Helm engine" in unknown.err
    monkeypatch.setenv("MCGEN_HELM", "binary")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("MCGEN_HELM_BINARY", raising=False)
    missing = run_cli("render", cwd=root)
    assert missing.code == 2 and "needs a `helm` command on PATH" in missing.err
