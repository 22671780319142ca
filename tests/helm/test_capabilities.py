"""`.Capabilities` really differ per cluster: version, served APIs, the fleet's CRDs."""

from __future__ import annotations

from pathlib import Path

import yaml

from helm.helmcharts import make_chart, needs_sdk, render
from mcgen.helm.capabilities import for_cluster, kube_version, served

PROBE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: probe
data:
  version: {{ .Capabilities.KubeVersion.Version | quote }}
  minor: {{ .Capabilities.KubeVersion.Minor | quote }}
  hpaV2beta2: {{ .Capabilities.APIVersions.Has "autoscaling/v2beta2" | quote }}
  pspV1beta1: {{ .Capabilities.APIVersions.Has "policy/v1beta1" | quote }}
  claims: {{ .Capabilities.APIVersions.Has "resource.k8s.io/v1beta1/ResourceClaim" | quote }}
  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}
  serviceMonitor: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor"
    | quote }}
"""
MONITORING = (("monitoring.coreos.com/v1", "ServiceMonitor"),)


def probe(tmp_path: Path, version: str, crds: tuple[tuple[str, str], ...] = ()
          ) -> dict[str, str]:
    chart = tmp_path / "probe"
    if not chart.exists():
        make_chart(tmp_path, "probe", {"probe.yaml": PROBE})
    result = render(chart, version, crds=crds)
    assert not result.problems, result.problems
    (obj,) = result.objects
    data = yaml.safe_load(obj.text)["data"]
    assert isinstance(data, dict)
    return data


@needs_sdk
def test_each_cluster_sees_its_own_version_and_apis(tmp_path: Path) -> None:
    old, new = probe(tmp_path, "1.25"), probe(tmp_path, "1.33", MONITORING)
    assert (old["version"], old["minor"]) == ("v1.25.0", "25")
    assert (new["version"], new["minor"]) == ("v1.33.0", "33")
    # autoscaling/v2beta2 was served until 1.26; the engine's built-in list lacks it
    assert (old["hpaV2beta2"], new["hpaV2beta2"]) == ("true", "false")
    # DRA's v1beta1 ResourceClaim arrived in 1.32 (the kind form is not in the built-in list)
    assert (old["claims"], new["claims"]) == ("false", "true")
    # the fleet's CRDs: only where the fleet knows them, in both forms
    assert (old["monitoring"], new["monitoring"]) == ("false", "true")
    assert (old["serviceMonitor"], new["serviceMonitor"]) == ("false", "true")


@needs_sdk
def test_the_engines_built_in_list_still_leaks_through(tmp_path: Path) -> None:
    """policy/v1beta1 (PodSecurityPolicy, removed in 1.25) is in Helm's fixed list, so
    it is Has at every version whatever mcgen passes: documented, pinned here."""
    assert probe(tmp_path, "1.33")["pspV1beta1"] == "true"
    assert "policy/v1beta1" not in served("1.33")


def test_served_apis_follow_the_version() -> None:
    assert "autoscaling/v2beta2/HorizontalPodAutoscaler" in served("1.25")
    assert "autoscaling/v2beta2" not in served("1.26")
    assert "batch/v1/CronJob" in served("1.30")
    assert not [v for v in served("1.33") if "alpha" in v]


def test_versions_helm_accepts() -> None:
    assert kube_version("1.31") == "v1.31.0"
    assert kube_version("v1.31.4") == "v1.31.4"
    caps = for_cluster("1.30", MONITORING)
    assert caps.minor == "1.30"
    assert "monitoring.coreos.com/v1" in caps.api_versions
    assert list(caps.api_versions) == sorted(caps.api_versions)


@needs_sdk
def test_corpus_charts_branch_on_the_version(corpora: Path) -> None:
    charts = corpora / "charts"
    values: dict[str, object] = {"controller": {
        "service": {"trafficDistribution": "PreferClose"},
        "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}]}}
    for version, present in (("1.25", False), ("1.30", False), ("1.33", True)):
        result = render(charts / "ingress-nginx", version, values, root=charts)
        text = "".join(o.text for o in result.objects)
        assert ("trafficDistribution" in text) is present
        assert ("resizePolicy" in text) is present
    vpa: dict[str, object] = {"verticalPodAutoscaler": {"enabled": True}}
    plain = render(charts / "prometheus-node-exporter", "1.30", vpa, root=charts)
    known = render(charts / "prometheus-node-exporter", "1.30", vpa, root=charts,
                   crds=(("autoscaling.k8s.io/v1", "VerticalPodAutoscaler"),))
    assert (len(plain.objects), len(known.objects)) == (3, 4)
    pdb: dict[str, object] = {"podDisruptionBudget": {
        "enabled": True, "minAvailable": 1, "unhealthyPodEvictionPolicy": "AlwaysAllow"}}
    for version, present in (("1.25", False), ("1.26", False), ("1.30", True)):
        result = render(charts / "metrics-server", version, pdb, root=charts)
        assert len(result.objects) == 10
        text = "".join(o.text for o in result.objects)
        assert ("unhealthyPodEvictionPolicy" in text) is present
