"""`mcgen lint` side by side with itself: one process against two, a full lint against
an incremental one after a one-cluster change, and `--shard K/N` against one run.

    python bench/lint.py --clusters 1000 --workdir /dev/shm/mcgen-bench
    python bench/lint.py --clusters 10000 --shards 8 --runs 1 --workdir /dev/shm/mcgen-bench

`bench/run.py` prints this section too. Each figure is the median wall time of the
runs, with the CPU time (user + system, workers included) and the peak RSS; the machine
is shared, so compare the ratios of one run (CPU time is what a busy machine skews
least). The merged shard reports are checked equal to one run's report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fleetgen import write_fleet
from run import MCGEN, Bench, toggle

LIMITS = {"full": 2.0, "incremental": 1.0, "shard": 20.0}


def env_command(jobs: str, *args: str) -> list[str]:
    return ["env", f"MCGEN_JOBS={jobs}", *MCGEN, "lint", *args]


def lint_rows(bench: Bench, repo: Path, shards: int) -> list[str]:
    """Measure, and return the section's Markdown lines (the rows go into `bench`)."""
    spec = repo / "fleets" / "bench.yaml"
    change = toggle(spec, "{name: c0000,", "{name: c0000, values: {memory: 300Mi},")
    ok = (0, 1)
    one = bench.run("mcgen lint --full, one process", env_command("1", "--full"), repo, ok=ok)
    two = bench.run("mcgen lint --full, two processes", env_command("2", "--full"), repo, ok=ok)
    subprocess.run([*MCGEN, "lint"], cwd=repo, stdout=subprocess.DEVNULL, check=False)
    same = bench.run("mcgen lint, nothing changed (incremental)", [*MCGEN, "lint"], repo, ok=ok)
    full_change = bench.run("mcgen lint --full, one cluster's values changed",
                            [*MCGEN, "lint", "--full"], repo, change, ok=ok)

    def change_then_settle() -> None:  # the memo of the run before, then the change
        change()
        subprocess.run([*MCGEN, "lint"], cwd=repo, stdout=subprocess.DEVNULL, check=False)
        change()

    incremental = bench.run("mcgen lint, one cluster's values changed (incremental)",
                            [*MCGEN, "lint"], repo, change_then_settle, ok=ok)
    worst, merged_equal = run_shards(bench, repo, shards)
    return section(one, two, (same, full_change, incremental), (shards, worst, merged_equal))


def run_shards(bench: Bench, repo: Path, count: int) -> tuple[float, bool]:
    """The slowest shard's median, and whether the merged reports equal one run's."""
    reports = repo.parent / "shards"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir()
    worst = 0.0
    for k in range(1, count + 1):
        out = reports / f"shard{k}.json"
        worst = max(worst, bench.run(f"mcgen lint --shard {k}/{count}", [
            *MCGEN, "lint", "--shard", f"{k}/{count}", "--format", "json", "-o", str(out)],
            repo, ok=(0, 1), runs=1))
    whole = reports / "whole.json"
    subprocess.run([*MCGEN, "lint", "--full", "--format", "json", "-o", str(whole)], cwd=repo,
                   check=False)
    merged = subprocess.run([*MCGEN, "lint", "--format", "json",
                             *(a for k in range(1, count + 1)
                               for a in ("--merge", str(reports / f"shard{k}.json")))],
                            cwd=repo, capture_output=True, text=True, check=False)
    equal = json.loads(merged.stdout) == json.loads(whole.read_text())
    return worst, equal


def section(one: float, two: float, incremental: tuple[float, float, float],
            shards: tuple[int, float, bool]) -> list[str]:
    same, full_change, changed = incremental
    count, worst, equal = shards
    rows = [
        ("full lint: one process / two processes", f"{one / two:.2f}x"),
        ("one-cluster change: full / incremental", f"{full_change / changed:.2f}x"),
        ("nothing changed: full (two processes) / incremental", f"{two / same:.2f}x"),
        (f"{count} shards merged equal one run", "yes" if equal else "NO"),
    ]
    targets = [
        ("mcgen lint (full, two processes)", LIMITS["full"], two),
        ("mcgen lint after a one-cluster change", LIMITS["incremental"], changed),
        (f"slowest of {count} shards", LIMITS["shard"], worst),
    ]
    lines = ["", "## mcgen lint", "", "| lint ratio | value |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    lines += ["", "| lint target | limit | measured | |", "|---|---:|---:|---|"]
    for name, limit, seconds in targets:
        verdict = "met" if seconds <= limit else f"missed by {seconds / limit - 1:.0%}"
        lines.append(f"| {name} | {limit:.2f} s | {seconds:.2f} s | {verdict} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=100)
    parser.add_argument("--components", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--workdir", type=Path, default=Path(__file__).resolve().parent / "out")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    repo = args.workdir / f"lint-{args.clusters}x{args.components}" / "mcgen"
    shutil.rmtree(repo.parent, ignore_errors=True)
    write_fleet(repo, args.clusters, args.components)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*MCGEN, "render", "-q"], cwd=repo, check=True)
    bench = Bench(args.runs, args.timeout)
    lines = lint_rows(bench, repo, args.shards)
    table = [f"# mcgen lint at {args.clusters} clusters x {args.components} components", "",
             f"Machine: {os.cpu_count()} cores; median of {args.runs} runs (shards: 1); "
             "CPU is user + system time, workers included.", "",
             "| what | median | CPU | peak RSS |", "|---|---:|---:|---:|"]
    table += [f"| {label} | {seconds:.2f} s | {cpu:.2f} s | {rss} MiB |"
              for label, seconds, cpu, rss, _ in bench.rows]
    print("\n".join(table + lines))


if __name__ == "__main__":
    main()
