"""Helm chart components side by side with the same fleet in Jinja2, in one run.

    python bench/charts.py                          # 1,000 clusters x 20 components, 5 charts
    python bench/charts.py --clusters 200 --runs 1 --workdir /dev/shm/mcgen-bench

The fleet is `bench/fleetgen.py`'s; in the chart fleet its first 5 components are Helm
charts that render the same three objects as the Jinja2 templates (a Deployment, a
Service and a ConfigMap), with their values from a per-cluster values template. Timed:

- a cold `mcgen render` of the chart fleet and of the all-Jinja2 fleet (target: at most
  1.5x);
- the naive alternative: every (cluster, chart) pair rendered by the same Helm engine
  (Helm's Go SDK in-process, the chart loaded once): measured on a sample of pairs and
  multiplied out, plus the Jinja2 part of the fleet (target: mcgen at least 5x faster);
- the no-op `render --check` and a render after one cluster's values changed (target:
  under 1.5 s each).

It prints how many distinct (chart, values, capabilities) renders the cold render made
for how many (cluster, chart) pairs. A benchmark, never a test: the machine is shared,
so the figures are noisy; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fleetgen import write_fleet
from run import MCGEN, Bench, toggle

CHARTS = 5
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Values.name }}
  labels:
    app: {{ .Values.name }}
    tier: {{ .Values.tier }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: {{ .Values.name }}
  template:
    metadata:
      labels:
        app: {{ .Values.name }}
    spec:
      containers:
        - name: app
          image: registry.example.com/{{ .Values.name }}:{{ .Values.version }}
          args: ["--log-level={{ .Values.logLevel }}", "--region={{ .Values.region }}"]
          env:
            - name: UPSTREAM
              value: {{ .Values.upstream | quote }}
          ports:
            - containerPort: 8080
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "1", memory: {{ .Values.memory }}}
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ .Values.name }}
spec:
  selector:
    app: {{ .Values.name }}
  ports:
    - name: http
      port: 80
      targetPort: 8080
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Values.name }}-config
data:
  settings.ini: |
    [app]
    log_level = {{ .Values.logLevel }}
    zone = {{ .Values.zone }}
{{- range $key, $value := .Values.features }}
    feature.{{ $key }} = {{ $value }}
{{- end }}
"""
VALUES = """\
name: {{ component.name }}
tier: {{ cluster.labels.tier }}
replicas: {{ values.replicas }}
version: "{{ values.version }}"
logLevel: {{ values.logLevel }}
region: {{ cluster.region }}
zone: {{ cluster.zone }}
upstream: "{{ values.upstream }}"
memory: {{ values.memory }}
features: {{ values.features | tojson }}
"""


def write_chart_fleet(root: Path, clusters: int, components: int) -> None:
    """fleetgen's fleet with its first CHARTS components made Helm charts."""
    write_fleet(root, clusters, components)
    spec = root / "fleets" / "bench.yaml"
    text = spec.read_text()
    for index in range(CHARTS):
        name = f"comp{index:02d}"
        chart = root / "charts" / name
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 1.0.0\n")
        (chart / "values.yaml").write_text("replicas: 1\n")
        for file, body in (("deployment.yaml", DEPLOYMENT), ("service.yaml", SERVICE),
                           ("configmap.yaml", CONFIGMAP)):
            (chart / "templates" / file).write_text(body)
        (root / "templates" / "chart-values").mkdir(exist_ok=True)
        (root / "templates" / "chart-values" / f"{name}.yaml.j2").write_text(VALUES)
        shutil.rmtree(root / "templates" / name)
        text = text.replace(
            f"template: {name},",
            f"chart: {{path: charts/{name}, values: templates/chart-values/{name}.yaml.j2}},")
    spec.write_text(text)


def naive_seconds(repo: Path, clusters: int, sample: int) -> tuple[float, int]:
    """Seconds to render every (cluster, chart) pair with the SDK, one render per pair
    (measured on `sample` pairs in a fresh process), and how many pairs there are."""
    script = f"""
import json, sys, time
from mcgen.helm.capabilities import for_cluster
from mcgen.helm.engines import engine
from mcgen.helm.files import read_chart
sdk = engine("sdk")
root = {str(repo)!r}
charts = [read_chart(f"{{root}}/charts/comp{{i:02d}}", root) for i in range({CHARTS})]
caps = for_cluster("1.31")
for chart in charts:
    sdk.render(chart.path, {{}}, "warm", "ns", caps)  # each chart loaded once, not timed
started = time.perf_counter()
for n in range({sample}):
    chart = charts[n % {CHARTS}]
    values = {{"name": "comp", "tier": "standard", "replicas": 2, "version": "1.0.0",
              "logLevel": "info", "region": f"r{{n}}", "zone": "eu", "upstream": "x",
              "memory": "256Mi", "features": {{"search": True, "cart": False}}}}
    sdk.render(chart.path, values, f"rel{{n}}", "ns", caps)
print(json.dumps(time.perf_counter() - started))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    per_pair = json.loads(done.stdout.strip().splitlines()[-1]) / sample
    pairs = clusters * CHARTS
    return per_pair * pairs, pairs


def render_counts(repo: Path) -> str:
    """How many charts Helm rendered in a cold render (`render` does not print it)."""
    script = f"""
from mcgen.pipeline import RenderRequest, render
from mcgen.sources.chart.source import chart_summary
(output,) = render(RenderRequest(cwd={str(repo)!r})).outputs
print(chart_summary(output.rendered))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--components", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    work = args.workdir / f"charts-{args.clusters}x{args.components}"
    shutil.rmtree(work, ignore_errors=True)
    jinja, charts = work / "jinja", work / "charts"
    write_fleet(jinja, args.clusters, args.components)
    write_chart_fleet(charts, args.clusters, args.components)
    bench = Bench(args.runs, args.timeout)

    def cold(repo: Path) -> Callable[[], None]:
        def wipe() -> None:
            for name in ("clusters", ".mcgen"):
                shutil.rmtree(repo / name, ignore_errors=True)
        return wipe

    print(f"{args.clusters} clusters x {args.components} components ({CHARTS} charts):",
          file=sys.stderr)
    plain = bench.run("mcgen render (cold), all Jinja2", [*MCGEN, "render", "-q"], jinja,
                      cold(jinja))
    chart = bench.run("mcgen render (cold), 5 charts", [*MCGEN, "render", "-q"], charts,
                      cold(charts))
    noop = bench.run("mcgen render --check (no-op), 5 charts",
                     [*MCGEN, "render", "--check", "-q"], charts)
    spec = charts / "fleets" / "bench.yaml"
    one = bench.run("mcgen render, one cluster's values changed, 5 charts",
                    [*MCGEN, "render", "-q"], charts,
                    toggle(spec, "{name: c0000,", "{name: c0000, values: {memory: 300Mi},"))
    shutil.rmtree(charts / "clusters", ignore_errors=True)
    shutil.rmtree(charts / ".mcgen", ignore_errors=True)
    counted = render_counts(charts)
    started = time.perf_counter()
    helm_seconds, pairs = naive_seconds(charts, args.clusters, args.sample)
    print(f"  naive sample measured in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    # the Jinja2 share of the fleet renders as in the all-Jinja2 fleet: 15 of 20 components
    naive = helm_seconds + plain * (args.components - CHARTS) / args.components
    report(args, plain, chart, noop, one, naive, pairs, counted)


def report(args: argparse.Namespace, plain: float, chart: float, noop: float, one: float,
           naive: float, pairs: int, counted: str) -> None:
    rows = [
        ("cold render, 5 charts / all Jinja2", f"{chart:.2f} s / {plain:.2f} s",
         f"{chart / plain:.2f}x", "<= 1.5x", chart / plain <= 1.5),
        ("naive (every pair through Helm) / mcgen", f"{naive:.1f} s / {chart:.2f} s",
         f"{naive / chart:.1f}x", ">= 5x", naive / chart >= 5),
        ("no-op render --check", f"{noop:.2f} s", "", "< 1.5 s", noop < 1.5),
        ("one cluster's values changed", f"{one:.2f} s", "", "< 1.5 s", one < 1.5),
    ]
    lines = [f"Charts: {args.clusters} clusters x {args.components} components, "
             f"{CHARTS} of them Helm charts ({pairs} (cluster, chart) pairs); {counted}",
             "", "| measure | time | ratio | target | met |", "|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} | {'yes' if e else 'NO'} |" for a, b, c, d, e in rows]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
