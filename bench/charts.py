"""Helm chart components side by side with the same fleet in Jinja2, in one run.

    python bench/charts.py                          # 1,000 clusters x 20 components, 5 charts
    python bench/charts.py --clusters 200 --runs 1 --workdir /dev/shm/mcgen-bench

The fleet is `bench/fleetgen.py`'s; in the chart fleet its first 5 components are Helm
charts that render the same three objects as the Jinja2 templates (a Deployment, a
Service and a ConfigMap), with their values from a per-cluster values template. Timed:

- a cold `mcgen render` of the chart fleet and of the all-Jinja2 fleet (target: at most
  1.5x);
- the chart work of that cold render in one process: every (cluster, chart) pair through
  mcgen's cache (each distinct chart, values and capabilities rendered once), against the
  naive way, every pair rendered by the same Helm engine (Helm's Go SDK in-process, each
  chart loaded once, the same checks), measured on a sample of pairs and multiplied out
  (target: at least 5x faster);
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


def helm_seconds(repo: Path, sample: int) -> tuple[float, float, int]:
    """In one fresh process, the chart work of a cold render of every (cluster, chart)
    pair: through mcgen's cache (each distinct render once) and naively (every pair
    rendered by the same engine, with the same checks, measured on `sample` pairs and
    multiplied out); and how many pairs there are. Values templates are rendered in
    both, the charts loaded once in both."""
    script = f"""
import json, time
from mcgen.fleet.load import load_fleet
from mcgen.helm.render import render_chart
from mcgen.sources.chart.run import ChartRun, _request
fleet = load_fleet({str(repo / "fleets" / "bench.yaml")!r})
run = ChartRun(fleet)
pairs = [(fleet.components[c], cluster) for c in fleet.components
         if fleet.components[c].source.kind == "chart" for cluster in fleet.placements[c]]
prepared = [run.prepare(component, cluster) for component, cluster in pairs]
for found in prepared[:{CHARTS}]:  # load each chart once, untimed, for both
    run.render(found.pieces[0], found.context)
run = ChartRun(fleet); prepared = [run.prepare(c, k) for c, k in pairs]
started = time.perf_counter()
for found in prepared:
    run.render(found.pieces[0], found.context)
cached = time.perf_counter() - started
engine = run.renders.engine
started = time.perf_counter()
for found in prepared[:{sample}]:
    pending = run._pending[found.pieces[0].key]
    render_chart(engine, _request(pending, run._values(pending, found.context)))
naive = (time.perf_counter() - started) / {sample} * len(prepared)
print(json.dumps([cached, naive, len(prepared)]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    cached, naive, pairs = json.loads(done.stdout.strip().splitlines()[-1])
    return float(cached), float(naive), int(pairs)


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
    cached, naive, pairs = helm_seconds(charts, args.sample)
    print(f"  chart work, cached {cached:.2f}s, naive {naive:.1f}s (measured in "
          f"{time.perf_counter() - started:.1f}s)", file=sys.stderr)
    report(args, plain, chart, noop, one, (cached, naive), pairs, counted)
    cpu = {label: cpu for label, _, cpu, _, _ in bench.rows}
    print("\nCPU seconds (what a busy machine skews least): "
          + "; ".join(f"{label}: {seconds:.2f}" for label, seconds in cpu.items()))


def report(args: argparse.Namespace, plain: float, chart: float, noop: float, one: float,
           helm: tuple[float, float], pairs: int, counted: str) -> None:
    cached, naive = helm
    rows = [
        ("cold render, 5 charts / all Jinja2", f"{chart:.2f} s / {plain:.2f} s",
         f"{chart / plain:.2f}x", "<= 1.5x", chart / plain <= 1.5),
        ("chart work: every pair through Helm / each distinct once",
         f"{naive:.2f} s / {cached:.2f} s", f"{naive / cached:.1f}x", ">= 5x",
         naive / cached >= 5),
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
