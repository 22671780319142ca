"""`kustomize:` components side by side with what a user would run instead, in one run.

    python bench/kustomize_source.py --clusters 50

A fleet of N clusters, each with a kustomize overlay (a replicas patch, a label) over
one base of three objects. Timed: mcgen's cold render (it builds every overlay), the
no-op `render --check`, a render after one overlay's patch changed, and the peer: a
loop running `kubectl kustomize` over every overlay into files (no labels, no lint, no
ownership). A benchmark, never a test: the machine's noise is in the figures, compare
the ratios of one run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import MCGEN, measure

BASE = {
    "kustomization.yaml": "resources: [deployment.yaml, service.yaml, configmap.yaml]\n",
    "deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec:\n      containers:\n      - name: web\n        image: example.com/web:1.0.0\n"
        "        resources: {limits: {cpu: 200m, memory: 128Mi}}\n"),
    "service.yaml": ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                     "spec: {selector: {app: web}, ports: [{port: 80}]}\n"),
    "configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: '1'}\n",
}


def write_repo(root: Path, clusters: int) -> list[str]:
    names = [f"c{i:04d}" for i in range(clusters)]
    for name, text in BASE.items():
        _write(root / "kustomize/base" / name, text)
    for index, cluster in enumerate(names):
        folder = root / "kustomize/overlays" / cluster
        _write(folder / "kustomization.yaml", "resources: [../../base]\n"
               f"commonLabels: {{site: {cluster}}}\npatches:\n- path: replicas.yaml\n")
        _write(folder / "replicas.yaml", _patch(2 + index % 3))
    rows = "".join(f"    - {{name: {c}, region: us-east-1, kubernetesVersion: \"1.31\"}}\n"
                   for c in names)
    _write(root / "fleets/bench.yaml", (
        "apiVersion: mcgen.dev/v1alpha1\nkind: Fleet\nmetadata: {name: bench}\nspec:\n"
        "  output: {dir: clusters, engine: kustomize}\n"
        "  zones: {us: {regions: [us-east-1]}}\n  clusters:\n" + rows +
        "  components:\n    - name: web\n      placement: {selector: {matchLabels: {}}}\n"
        "      kustomize: kustomize/overlays/{cluster}\n"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return names


def _patch(replicas: int) -> str:
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
            f"spec: {{replicas: {replicas}}}\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=50)
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    root = args.workdir / f"kustomize-{args.clusters}"
    shutil.rmtree(root, ignore_errors=True)
    names = write_repo(root, args.clusters)
    loop = " && ".join(f"kubectl kustomize kustomize/overlays/{c} > peer/{c}.yaml"
                       for c in names)
    (root / "peer").mkdir()
    rows = [("mcgen render (cold: every overlay built)",
             measure([*MCGEN, "render", "-q"], root, 3600)),
            ("mcgen render --check (no-op)",
             measure([*MCGEN, "render", "--check", "-q"], root, 600))]
    _write(root / "kustomize/overlays" / names[0] / "replicas.yaml", _patch(9))
    rows.append(("mcgen render, one overlay's patch changed",
                 measure([*MCGEN, "render", "-q"], root, 600)))
    rows.append(("peer: kubectl kustomize of every overlay, in a loop",
                 measure(["sh", "-c", loop], root, 3600)))
    print(f"# kustomize source: {args.clusters} clusters, an overlay each\n")
    print("| what | wall | CPU | exit |\n|---|---:|---:|---:|")
    for what, (wall, cpu, _, code) in rows:
        print(f"| {what} | {wall:.2f} s | {cpu:.2f} s | {code} |")
    peer = rows[-1][1][0]
    print(f"\ncold render / peer loop: {rows[0][1][0] / peer:.2f}x; "
          f"one overlay changed / peer loop: {rows[2][1][0] / peer:.2f}x")


if __name__ == "__main__":
    main()
