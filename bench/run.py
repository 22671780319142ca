"""mcgen side by side with its peers on one synthetic fleet, in one run.

    python bench/run.py                         # 100 clusters x 20 components, 3 runs
    python bench/run.py --clusters 1000 --runs 3 --workdir /dev/shm/mcgen-bench
    python bench/run.py --scale --runs 1 --workdir /dev/shm/mcgen-bench   # 250 .. 10,000

Prints a Markdown table (median wall time over the runs, the CPU time the process used,
its peak memory) with the ratio of each peer to mcgen and each target met or missed,
and writes it to bench/RESULTS.md. A benchmark, never a test: the machine's noise is in
the figures, so compare ratios from one run. A tmpfs work folder (`--workdir`) takes the
disk's writeback noise out of every tool alike; CPU time is what a busy machine skews
least.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fleetgen import write_fleet
from peers import write_floor, write_kapitan, write_kustomize

HERE = Path(__file__).resolve().parent
MCGEN = [sys.executable, "-m", "mcgen"]
KAPITAN_VENV = HERE / ".venv-kapitan"


TIMED_OUT = -9


def measure(command: list[str], cwd: Path, timeout: float) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS (MiB) and exit code of one run of `command`
    (killed at `timeout`: exit code TIMED_OUT)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return (time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
                    usage.ru_maxrss // 1024, TIMED_OUT)
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    return (elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024,
            os.waitstatus_to_exitcode(status))


class Bench:
    def __init__(self, runs: int, timeout: float) -> None:
        self.runs = runs
        self.timeout = timeout
        self.rows: list[tuple[str, float, float, int, str]] = []

    def run(self, label: str, command: list[str], cwd: Path, before: Callable[[], None]
            = lambda: None, ok: tuple[int, ...] = (0,), runs: int = 0) -> float:
        times, cpus, peak = [], [], 0
        for _ in range(runs or self.runs):
            before()
            elapsed, cpu, rss, code = measure(command, cwd, self.timeout)
            if code == TIMED_OUT:
                self.rows.append((label, elapsed, cpu, rss,
                                  f"killed after {self.timeout:.0f} s"))
                print(f"  {label}: killed after {self.timeout:.0f}s", file=sys.stderr)
                return float("inf")
            if code not in ok:
                raise SystemExit(f"{label}: {' '.join(command)} exited {code} in {cwd}")
            times.append(elapsed)
            cpus.append(cpu)
            peak = max(peak, rss)
        median = statistics.median(times)
        self.rows.append((label, median, statistics.median(cpus), peak, ""))
        print(f"  {label}: {median:.3f}s, {peak} MiB", file=sys.stderr)
        return median


def kapitan() -> Path | None:
    """Kapitan in its own virtualenv (installed from PyPI on first use)."""
    binary = KAPITAN_VENV / "bin" / "kapitan"
    if not binary.exists():
        print("  installing kapitan into bench/.venv-kapitan ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(KAPITAN_VENV)], check=True)
        done = subprocess.run([str(KAPITAN_VENV / "bin" / "pip"), "install", "-q", "kapitan"],
                              check=False)
        if done.returncode != 0:
            return None
    return binary


def toggle(path: Path, old: str, new: str) -> Callable[[], None]:
    def flip() -> None:
        text = path.read_text()
        # `new` first: it may contain `old` (each run undoes the last one's change)
        path.write_text(text.replace(new, old, 1) if new in text else text.replace(old, new, 1))
    return flip


TARGETS = (  # the issues' targets on a 2-core machine, at 1,000 clusters x 20 components
    ("cold render + lint", "combined", 15.0),
    ("no-op render --check", "mcgen render --check (no-op)", 0.3),
    ("one cluster's values changed", "mcgen render, one cluster's values changed", 0.5),
    ("mcgen --version", "mcgen --version", 0.15),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=100)
    parser.add_argument("--components", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-runs", type=int, default=0,
                        help="runs of each peer (default: --runs); Kapitan takes minutes")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--shards", type=int, default=8, help="lint shards to time and merge")
    parser.add_argument("--skip-kapitan", action="store_true",
                        help="leave Kapitan out (it installs from PyPI and takes minutes)")
    parser.add_argument("--workdir", type=Path, default=HERE / "out",
                        help="where the fleets are written (a tmpfs takes disk noise out)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="kill a run after this many seconds (it shows as a lower bound)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md",
                        help="where the table goes; its figures of the last run are shown "
                             "beside the new ones (the 'previous' column)")
    parser.add_argument("--scale", action="store_true",
                        help="print the curve from 250 to 10,000 clusters (time and memory "
                             "per cluster) instead of the side-by-side table")
    parser.add_argument("--sizes", default=",".join(map(str, SCALE)),
                        help="with --scale, the fleet sizes (comma-separated)")
    args = parser.parse_args()
    byte_compile()
    if args.scale:
        scale(args)
        return
    work = args.workdir / f"{args.clusters}x{args.components}"
    shutil.rmtree(work, ignore_errors=True)
    repo = work / "mcgen"
    write_fleet(repo, args.clusters, args.components)
    bench = Bench(args.runs, args.timeout)
    print(f"{args.clusters} clusters x {args.components} components:", file=sys.stderr)
    render, lint = run_mcgen(bench, repo)
    from lint import lint_rows  # bench/lint.py: one process vs two, full vs incremental

    lint_section = lint_rows(bench, repo, args.shards)
    baselines = {} if args.skip_peers else run_peers(bench, work, args)
    report(bench, args, render, lint, baselines)
    print("\n".join(lint_section))
    with args.results.open("a") as handle:
        handle.write("\n".join(lint_section) + "\n")


def byte_compile() -> None:
    """mcgen's bytecode, as `pip install` writes it: an editable install (or
    PYTHONDONTWRITEBYTECODE=1, as on the shared machine) would otherwise compile every
    module from source in every timed run."""
    import compileall

    import mcgen

    compileall.compile_dir(os.path.dirname(mcgen.__file__), quiet=1, workers=0)


def run_mcgen(bench: Bench, repo: Path) -> tuple[float, float]:
    def cold() -> None:
        shutil.rmtree(repo / "clusters", ignore_errors=True)
        shutil.rmtree(repo / ".mcgen", ignore_errors=True)

    render = bench.run("mcgen render (cold)", [*MCGEN, "render", "-q"], repo, cold)
    lint = bench.run("mcgen lint (all rules)", [*MCGEN, "lint"], repo, ok=(0, 1))
    bench.run("mcgen render --check (no-op)", [*MCGEN, "render", "--check", "-q"], repo)
    spec = repo / "fleets" / "bench.yaml"
    bench.run("mcgen render, one cluster's values changed", [*MCGEN, "render", "-q"], repo,
              toggle(spec, "{name: c0000,", "{name: c0000, values: {memory: 300Mi},"))
    service = repo / "templates" / "comp00" / "service.yaml.j2"
    bench.run("mcgen render, one template changed", [*MCGEN, "render", "-q"], repo,
              toggle(service, "port: 80\n", "port: 81\n"))
    bench.run("mcgen --version", [*MCGEN, "--version"], repo)
    return render, lint


SCALE = (250, 500, 1000, 2000, 4000, 10000)
SHARDS = 8


def scale(args: argparse.Namespace) -> None:
    """The curve: per fleet size, each step's median wall and CPU time per cluster and
    its peak memory, so that a change in the slope (cost growing faster than the fleet)
    shows. Written to bench/SCALE.md as well."""
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [scale_row(args, clusters) for clusters in sizes]
    text = "\n".join(scale_table(args, rows)) + "\n"
    print(text)
    (HERE / "SCALE.md").write_text(text)


ScaleRow = tuple[int, list[tuple[str, float, float, int]]]


def scale_row(args: argparse.Namespace, clusters: int) -> ScaleRow:
    work = args.workdir / f"scale-{clusters}x{args.components}"
    shutil.rmtree(work, ignore_errors=True)
    repo = work / "mcgen"
    write_fleet(repo, clusters, args.components)
    bench = Bench(args.runs, args.timeout)
    print(f"{clusters} clusters x {args.components} components:", file=sys.stderr)

    def cold() -> None:
        shutil.rmtree(repo / "clusters", ignore_errors=True)
        shutil.rmtree(repo / ".mcgen", ignore_errors=True)

    bench.run("cold render", [*MCGEN, "render", "-q"], repo, cold)
    bench.run("lint", [*MCGEN, "lint"], repo, ok=(0, 1))
    bench.run("no-op check", [*MCGEN, "render", "--check", "-q"], repo)
    spec = repo / "fleets" / "bench.yaml"
    bench.run("one cluster changed", [*MCGEN, "render", "-q"], repo,
              toggle(spec, "{name: c0000,", "{name: c0000, values: {memory: 300Mi},"))
    def fresh_clone() -> None:  # a CI job's checkout: the whole tree, no state folder
        shutil.rmtree(repo / ".mcgen", ignore_errors=True)

    bench.run(f"lint --shard 1/{SHARDS} (CI job)",
              [*MCGEN, "lint", "--shard", f"1/{SHARDS}", "--format", "json", "-o",
               str(work / "shard.json")], repo, fresh_clone, ok=(0, 1))
    bench.run(f"render --shard 1/{SHARDS} (cold)",
              [*MCGEN, "render", "-q", "--shard", f"1/{SHARDS}"], repo, cold)
    shutil.rmtree(work, ignore_errors=True)
    return clusters, [(label, seconds, cpu, rss) for label, seconds, cpu, rss, _ in bench.rows]


def scale_table(args: argparse.Namespace, rows: list[ScaleRow]) -> list[str]:
    labels = [label for label, *_ in rows[0][1]]
    lines = [f"# Scaling: clusters x {args.components} components", "",
             f"Median of {args.runs} runs on {os.cpu_count()} cores (work folder "
             f"{args.workdir}). Per step: wall time, CPU per cluster, peak RSS and RSS per "
             "cluster. A flat 'ms/cluster' column is linear cost; a growing one is a "
             "regression in the slope.", "",
             "| clusters | step | wall | CPU | CPU ms/cluster | peak RSS | KiB/cluster |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for clusters, measured in rows:
        for label, seconds, cpu, rss in measured:
            lines.append(f"| {clusters:,} | {label} | {seconds:.2f} s | {cpu:.2f} s | "
                         f"{cpu * 1000 / clusters:.2f} | {rss} MiB | "
                         f"{rss * 1024 / clusters:.0f} |")
    lines += ["", "| step | CPU ms/cluster, smallest fleet | largest fleet | growth |",
              "|---|---:|---:|---:|"]
    first, last = rows[0], rows[-1]
    for index, label in enumerate(labels):
        low = first[1][index][2] * 1000 / first[0]
        high = last[1][index][2] * 1000 / last[0]
        lines.append(f"| {label} | {low:.2f} | {high:.2f} | {high / low:.2f}x |")
    return lines


def run_peers(bench: Bench, work: Path, args: argparse.Namespace) -> dict[str, float]:
    floor, kust, kap = (work / n for n in ("floor", "kustomize", "kapitan"))
    runs = args.peer_runs or args.runs
    baselines: dict[str, float] = {}
    write_floor(floor, args.clusters, args.components)
    baselines["floor"] = bench.run("floor: bare Jinja2 loop writing files",
                                   [sys.executable, "floor.py", ".", "out"], floor,
                                   lambda: shutil.rmtree(floor / "out", ignore_errors=True))
    write_kustomize(kust, args.clusters, args.components)
    if shutil.which("kubectl"):
        baselines["kustomize"] = bench.run("kubectl kustomize (base + overlay per cluster)",
                                           ["kubectl", "kustomize", "."], kust, runs=runs)
    binary = None if args.skip_kapitan else kapitan()
    if binary is not None:
        write_kapitan(kap, args.clusters, args.components)
        baselines["kapitan"] = bench.run(
            "kapitan compile", [str(binary), "compile"], kap,
            lambda: shutil.rmtree(kap / "compiled", ignore_errors=True), runs=runs)
    return baselines


def previous_figures(path: Path, title: str) -> dict[str, str]:
    """The medians of the last run written to `path`, if it measured the same fleet size."""
    if not path.is_file() or not path.read_text().startswith(title + "\n"):
        return {}
    found = {}
    for line in path.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) >= 3 and cells[1].endswith(" s") and not cells[0].startswith("-"):
            found[cells[0]] = cells[1]
    return found


def report(bench: Bench, args: argparse.Namespace, render: float, lint: float,
           baselines: dict[str, float]) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    where = "tmpfs" if str(args.workdir).startswith("/dev/shm") else "disk"
    title = f"# Benchmark: {args.clusters} clusters x {args.components} components"
    before = previous_figures(args.results, title)
    lines = [title, "", f"Machine: {machine}; work folder on {where}. Median of {args.runs} "
             f"runs (peers: {args.peer_runs or args.runs}); CPU is user + system time of the "
             "process; peak RSS per process; 'previous' is the median of the run before, "
             f"from {args.results.name}.", "",
             "| what | median | previous | CPU | peak RSS |", "|---|---:|---:|---:|---:|"]
    for label, seconds, cpu, rss, note in bench.rows:
        shown = f"> {seconds:.2f} s ({note})" if note else f"{seconds:.2f} s"
        lines.append(f"| {label} | {shown} | {before.get(label, '')} | {cpu:.2f} s | "
                     f"{rss} MiB |")
    lines += ["", "| ratio | value |", "|---|---:|",
              f"| mcgen cold render + lint | {render + lint:.2f} s |"]
    for name, seconds in baselines.items():
        if seconds == float("inf"):
            lines.append(f"| {name} / mcgen cold render | > {bench.timeout / render:.1f}x "
                         "(killed at the time limit) |")
        elif name == "floor":
            lines.append(f"| mcgen cold render / bare Jinja2 floor | {render / seconds:.2f}x |")
        else:
            lines.append(f"| {name} / mcgen cold render | {seconds / render:.2f}x |")
    lines += targets(bench, render + lint)
    text = "\n".join(lines) + "\n"
    print(text)
    args.results.write_text(text)


def targets(bench: Bench, combined: float) -> list[str]:
    medians = {label: seconds for label, seconds, *_ in bench.rows}
    medians["combined"] = combined
    lines = ["", "| target | limit | measured | |", "|---|---:|---:|---|"]
    for name, label, limit in TARGETS:
        if label in medians:
            seconds = medians[label]
            verdict = "met" if seconds <= limit else f"missed by {seconds / limit - 1:.0%}"
            lines.append(f"| {name} | {limit:.2f} s | {seconds:.2f} s | {verdict} |")
    kapitan = medians.get("kapitan compile")
    render = medians.get("mcgen render (cold)")
    if kapitan and render:
        verdict = "met" if kapitan / render >= 10 else "missed"
        lines.append(f"| 10x faster than Kapitan | 10x | {kapitan / render:.1f}x | {verdict} |")
    floor = medians.get("floor: bare Jinja2 loop writing files")
    if floor and render:
        verdict = "met" if render / floor <= 3 else "missed"
        lines.append(f"| within 3x the bare Jinja2 floor | 3x | {render / floor:.2f}x | "
                     f"{verdict} |")
    return lines


if __name__ == "__main__":
    main()
