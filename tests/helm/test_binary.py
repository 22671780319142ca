"""The `helm` binary engine gives the objects the in-process SDK gives.

The binary is real Helm (v4.3.1): `.ci/run` puts it in place with `.ci/fetch_helm.py`
and names it in MCGEN_TEST_HELM; elsewhere a `helm` on PATH is used, and without one
these tests skip and say so.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from helm.helmcharts import needs_sdk, render
from mcgen.helm.binary import BinaryEngine
from mcgen.helm.engines import engine

HELM = os.environ.get("MCGEN_TEST_HELM") or shutil.which("helm")
needs_helm = pytest.mark.skipif(
    not HELM or not os.access(HELM, os.X_OK),
    reason="no helm binary (MCGEN_TEST_HELM, or helm on PATH): .ci/run fetches one")
VALUES: dict[str, dict[str, object]] = {"nginx": {"tls": {"enabled": False}}}


def objects(result: object) -> list[tuple[str, str, str, bool]]:
    """(source, canonical object, hook, crd) sorted: `helm template` orders documents by
    kind, the SDK by template, so only the order within a template may differ."""
    found = []
    for obj in getattr(result, "objects", ()):
        body = yaml.safe_load(obj.text)
        found.append((obj.source, yaml.safe_dump(body, sort_keys=True), obj.hook, obj.crd))
    return sorted(found)


@needs_sdk
@needs_helm
@pytest.mark.slow
@pytest.mark.parametrize("version", ["1.25", "1.33"])
@pytest.mark.parametrize("name", ["podinfo", "ingress-nginx", "external-dns", "metrics-server",
                                  "cert-manager", "nginx", "prometheus-node-exporter"])
def test_binary_and_sdk_render_the_same_objects(corpora: Path, name: str, version: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert HELM is not None
    monkeypatch.setenv("MCGEN_HELM_BINARY", HELM)
    charts = corpora / "charts"
    values = VALUES.get(name, {})
    sdk = render(charts / name, version, values, root=charts, skip_tests=True)
    binary = render(charts / name, version, values, root=charts, skip_tests=True,
                    helm=engine("binary"))
    assert not sdk.problems and not binary.problems
    assert objects(binary) == objects(sdk)
    assert len(sdk.objects) > 0


@needs_sdk
@needs_helm
def test_binary_reports_errors_like_the_sdk(corpora: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    assert HELM is not None
    monkeypatch.setenv("MCGEN_HELM_BINARY", HELM)
    charts = corpora / "charts"
    (problem,) = render(charts / "external-dns", "1.30", {"policy": 12}, root=charts,
                        helm=engine("binary")).problems
    assert problem.value_path == ("policy",)
    refused = render(charts / "ingress-nginx", "1.20", root=charts, helm=engine("binary"))
    assert refused.problems[0].file == "charts/ingress-nginx/Chart.yaml"


def test_without_a_binary_the_engine_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("MCGEN_HELM_BINARY", raising=False)
    assert "needs a `helm` command on PATH" in BinaryEngine().available()
