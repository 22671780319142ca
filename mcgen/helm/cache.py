"""Each distinct chart render once: the one door every chart render goes through.

A render is keyed by what can change its output: the engine, the chart's digest (its
files), the values, the release and namespace, the cluster's capabilities and whether
tests are skipped. A fleet of 1,000 clusters that places a chart everywhere with values
that differ by tier and Kubernetes version renders it once per distinct combination;
`renders` and `requests` say how many of each there were.

Results of an earlier run can be handed in (`stored`) and those this run used read back
(`used`), so the pipeline may keep them between runs the way it keeps template texts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from mcgen.helm.engines import HelmEngine
from mcgen.helm.render import ChartRequest, ChartResult, render_chart


def request_key(engine: str, request: ChartRequest) -> str:
    """The digest of everything a chart's output depends on."""
    parts = [engine, request.chart.digest, request.release, request.namespace,
             request.capabilities.kube_version, "\n".join(request.capabilities.api_versions),
             str(request.skip_tests), json.dumps(request.values, sort_keys=True, default=str)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class ChartRenders:
    engine: HelmEngine
    stored: Mapping[str, ChartResult] = field(default_factory=dict)
    used: dict[str, ChartResult] = field(default_factory=dict)
    renders: int = 0  # charts run by the engine in this process
    requests: int = 0  # (cluster, chart component) pairs asked for

    def render(self, request: ChartRequest) -> ChartResult:
        self.requests += 1
        key = request_key(self.engine.name, request)
        found = self.used.get(key) or self.stored.get(key)
        if found is None:
            self.renders += 1
            found = render_chart(self.engine, request)
        self.used[key] = found
        return found

    @property
    def distinct(self) -> int:
        return len(self.used)
