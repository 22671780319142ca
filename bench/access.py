"""`mcgen access` on a synthetic fleet of 1,000 clusters, in one run (target: under 2 s).

    python bench/access.py                       # 1,000 clusters x 20 components, 3 runs
    python bench/access.py --clusters 100 --runs 5 --workdir /dev/shm/mcgen-access

The first `--rbac` components of `bench/fleetgen.py` (5 by default) get RBAC of their
own (a Role and RoleBinding for the team, a ClusterRole aggregated into `view`, a
ClusterRoleBinding for on-call), so every cluster has 20 RBAC objects, aggregation and
the built-in roles to resolve. The fleet is rendered once (not timed); then the matrix
with no cache (every RBAC file parsed) and with the cache a first run leaves (the files
unchanged since: only their stat is read), the JSON export, one subject's view and a
resource query are timed, and, side by side, the floor: reading the same RBAC files with
PyYAML and nothing else. The tools a user would otherwise pick (`kubectl auth can-i
--list`, rbac-tool, rakkess) ask a live API server, one cluster at a time, so they cannot
run here; the floor is what any offline tool must at least pay. A benchmark, never a
test: the machine is shared, so wall times are noisy; the target is judged on CPU time,
which a busy machine skews least.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fleetgen import write_fleet

MCGEN = [sys.executable, "-m", "mcgen"]
TARGET = 2.0

RBAC = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ component.name }}-team
rules:
  - {apiGroups: ["", apps], resources: [pods, pods/log, deployments], verbs: [get, list, watch]}
  - {apiGroups: [""], resources: [configmaps], resourceNames: ["{{ component.name }}"],
     verbs: [update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ component.name }}-team
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: {{ component.name }}-team}
subjects:
  - {kind: Group, name: "team:{{ component.name }}"}
  - {kind: ServiceAccount, name: {{ component.name }}, namespace: {{ component.namespace }}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ component.name }}-view
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
  - {apiGroups: [example.com], resources: [{{ component.name }}s], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ component.name }}-oncall
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: "oncall:{{ cluster.zone }}"}
"""

FLOOR = """
import sys, glob, yaml
for path in sorted(glob.glob(sys.argv[1] + "/*/*/*role*.yaml")):
    with open(path) as handle:
        list(yaml.load_all(handle, Loader=yaml.CSafeLoader))
"""

COMMANDS = {
    "mcgen access (matrix, text)": ["access"],
    "mcgen access --format json": ["access", "--format", "json"],
    "mcgen access --subject (one subject)": ["access", "--subject", "Group:oncall:eu"],
    "mcgen access --resource pods --verb get": ["access", "--resource", "pods", "--verb", "get"],
}


def timed(command: list[str], cwd: Path, runs: int, cold: bool = False) -> tuple[float, float]:
    """The median wall and CPU seconds of `runs` runs of `command` (which must succeed);
    `cold` empties `mcgen access`'s cache of parsed RBAC files before each run."""
    walls, cpus = [], []
    for _ in range(runs):
        for cache in (cwd / ".mcgen").glob("access-*.json") if cold else ():
            cache.unlink()
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, command
        walls.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def row(label: str, took: tuple[float, float], floor: tuple[float, float], target: bool) -> str:
    wall, cpu = took
    met = (" met" if cpu < TARGET else " MISSED") if target else ""
    return (f"| {label} | {wall:.2f} | {cpu:.2f} | {cpu / floor[1]:.1f}x |"
            f"{f' < {TARGET:.0f} s CPU{met}' if target else ''} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--components", type=int, default=20)
    parser.add_argument("--rbac", type=int, default=5, help="components with RBAC")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        root = Path(folder)
        write_fleet(root, args.clusters, args.components)
        for template in sorted((root / "templates").iterdir())[:args.rbac]:
            (template / "rbac.yaml.j2").write_text(RBAC)
        subprocess.run([*MCGEN, "render", "-q"], cwd=root, check=True)
        floor = timed([sys.executable, "-c", FLOOR, str(root / "clusters")], root, args.runs)
        print(f"{args.clusters} clusters x {args.components} components, "
              f"{4 * args.rbac} RBAC objects a cluster, median of {args.runs} runs\n")
        print("| command | wall s | CPU s | CPU vs. floor | target |\n|---|---:|---:|---:|---|")
        print(row("floor: PyYAML reads the RBAC files", floor, floor, False))
        cold = timed([*MCGEN, "access"], root, args.runs, cold=True)
        print(row("mcgen access, cold (no cache: every file parsed)", cold, floor, False))
        for label, command in COMMANDS.items():
            print(row(label, timed([*MCGEN, *command], root, args.runs), floor, True))

if __name__ == "__main__":
    main()
