"""Charts made for tests: a folder with Chart.yaml, values.yaml and templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcgen.helm.capabilities import for_cluster
from mcgen.helm.engines import HelmEngine, engine
from mcgen.helm.files import read_chart
from mcgen.helm.native import sdk_available
from mcgen.helm.render import ChartRequest, ChartResult, render_chart

needs_sdk = pytest.mark.skipif(
    not sdk_available(), reason="helm-python-sdk (the mcgen-gitops[helm] extra) is not installed")


def make_chart(folder: Path, name: str, templates: dict[str, str], values: str = "",
               extra: str = "") -> Path:
    """A chart folder `folder/name` with these templates (paths under templates/)."""
    chart = folder / name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n{extra}", encoding="utf-8")
    (chart / "values.yaml").write_text(values, encoding="utf-8")
    for path, text in templates.items():
        target = chart / "templates" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return chart


def render(chart: Path, version: str = "1.30", values: dict[str, object] | None = None,
           root: Path | None = None, crds: tuple[tuple[str, str], ...] = (),
           skip_tests: bool = False, helm: HelmEngine | None = None) -> ChartResult:
    """Render `chart` for a cluster of Kubernetes `version`, release `rel` in `ns`."""
    files = read_chart(str(chart), str(root or chart.parent))
    request = ChartRequest(files, f"charts/{chart.name}", values or {}, "rel", "ns",
                           for_cluster(version, crds), skip_tests)
    return render_chart(helm or engine("sdk"), request)
