"""The `chart:` source: a Helm chart rendered per cluster by Helm's engine (`mcgen.helm`).

This module is what the registry imports: it names the files a chart component reads
(the no-op check fingerprints them) and starts a `ChartRun` (`mcgen.sources.chart.run`)
only when a fleet renders, so commands that render nothing never import the Helm code.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mcgen.fleet.model import Component, Fleet

if TYPE_CHECKING:
    from mcgen.sources.chart.run import ChartRun


def chart_summary(rendered: object) -> str:
    """How many charts Helm rendered for how many (cluster, chart) pairs, or "" when the
    fleet has no chart components: each distinct (chart, values, capabilities) once."""
    runs = getattr(rendered, "runs", {})
    run = runs.get("chart") if isinstance(runs, dict) else None
    from mcgen.sources.chart.run import ChartRun

    if not isinstance(run, ChartRun) or not run.pairs:
        return ""
    done = run._renders.renders if run._renders is not None else 0
    return (f"{done} chart renders by Helm for {len(run.pairs)} (cluster, chart) pairs "
            "(each distinct chart, values and capabilities rendered once; texts of the "
            "last run are not rendered again)")


class ChartSource:
    """`chart: {path, values, release, skipTests}`: a Helm chart folder or archive."""

    field = "chart"
    verbatim = False
    memoized = True
    recallable = True  # its run locates from the text (the chart's sources as rendered)
    concurrent = False
    forkable = False  # Helm's in-process engine (a Go runtime) does not survive fork

    def inputs(self, fleet: Fleet, component: Component) -> Iterable[str]:
        from mcgen.helm.lock import LOCK_FILE, pins  # with its YAML readers: charts only

        spec = component.source
        # the chart (a `{cluster}` path: the folder above the first placeholder)
        found = [spec.path.split("{cluster}")[0].rstrip("/") or "charts"]
        if spec.values:
            found.append(spec.values)
        if pins(fleet) or os.path.isfile(os.path.join(fleet.root, LOCK_FILE)):
            found.append(LOCK_FILE)
        return found

    def start(self, fleet: Fleet) -> ChartRun:
        from mcgen.sources.chart.run import ChartRun

        return ChartRun(fleet)


CHARTS = ChartSource()

