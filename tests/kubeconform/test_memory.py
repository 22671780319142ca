"""Peak memory of `mcgen kubeconform` on 20,000 resources stays under 100 MiB (#15), with
one process or two, in every output format: each run is a real process whose own peak
(VmHWM) is read when it exits; a forked worker counts on its own. kubeconform itself
peaks at 35-43 MiB on this input; before #15 mcgen peaked at 145 MiB."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "security"))
from test_hostile_kubeconform import mcgen

RESOURCES = 20_000
LIMIT_MIB = 100
DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web{i}\n  labels: "
              "{{app: web}}\nspec:\n  replicas: 3\n  selector: {{matchLabels: {{app: web}}}}\n"
              "  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers:"
              "\n      - {{name: web, image: 'nginx:1.27', ports: [{{containerPort: 80}}]}}\n")
SERVICE = ("apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\n"
           "spec: {{ports: [{{port: x}}]}}\n")
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata: {{a: b}}\n"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 resources in 10 files: Deployments, ConfigMaps, and invalid Services."""
    folder = tmp_path_factory.mktemp("stream")
    kinds = (DEPLOYMENT, CONFIGMAP, DEPLOYMENT, SERVICE)
    per_file = RESOURCES // 10
    for number in range(10):
        documents = [kinds[i % 4].format(i=number * per_file + i) for i in range(per_file)]
        (folder / f"f{number}.yaml").write_text("---\n".join(documents))
    return folder


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("output", ["text", "json", "tap", "junit", "pretty"])
def test_twenty_thousand_resources_under_100_mib(stream: Path, workers: int,
                                                 output: str) -> None:
    done = mcgen(["kubeconform", "-n", str(workers), "-summary", "-output", output, str(stream)])
    assert done.code == 1, done.out[-2000:]  # the invalid Services
    if output in ("text", "pretty"):
        assert "20000 resources found in 10 files" in done.out.replace(",", "")
    assert 0 < done.peak_mib < LIMIT_MIB, f"peak {done.peak_mib:.0f} MiB"
