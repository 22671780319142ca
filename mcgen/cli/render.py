"""`mcgen render`."""

from __future__ import annotations

import os
import sys

import click

from mcgen.console import emit, status
from mcgen.pipeline import RenderRequest, RenderResult, render
from mcgen.shard import parse_shard


@click.command(
    "render",
    epilog="Examples:\n\n  mcgen render                      # every fleets/*.yaml\n\n"
           "  mcgen render fleets/acme.yaml --check   # exit 1 and a diff if stale\n\n"
           "  mcgen render --shard 3/8              # one CI job of eight",
)
@click.argument("fleets", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 with a diff if the tree on disk is stale.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option("--no-diff", is_flag=True, help="With --check, list the files but show no diff.")
@click.option("--shard", metavar="K/N",
              help="Render only shard K of N: its clusters' folders (groups stay together; "
                   "shard 1 also writes the fleet's other files).")
def command(fleets: tuple[str, ...], check: bool, quiet: bool, no_diff: bool,
            shard: str | None) -> int:
    """Render each fleet's per-cluster trees (FLEET-SPEC §5) into the repository."""
    request = RenderRequest(specs=fleets, check=check, cwd=os.getcwd(),
                            shard=parse_shard(shard) if shard else None)
    with status("Rendering...", sys.stderr):
        result = render(request)
    if check:
        return _report_check(result, quiet, no_diff)
    if not quiet:
        for out in result.outputs:
            plan = out.plan
            clusters = len(out.fleet.clusters) - len(out.rendered.outside)
            click.echo(f"{out.fleet.name}: {clusters} clusters, "
                       f"{len(plan.desired) + out.kept} files ({len(plan.writes)} written, "
                       f"{len(plan.deletes)} removed)", err=True)
    return 0


def _report_check(result: RenderResult, quiet: bool, no_diff: bool) -> int:
    emit("".join(f"{finding}\n" for finding in result.findings), sys.stdout)
    if result.findings and not no_diff:
        click.echo(result.diff, nl=False)
    if result.findings and os.environ.get("PRE_COMMIT") == "1":
        click.echo(_staging_hint(result), err=True)
    if not result.findings and not quiet:
        names = ", ".join(result.specs)
        click.echo(f"{names}: the tree is up to date", err=True)
    return 1 if result.findings else 0


def _staging_hint(result: RenderResult) -> str:
    """Under pre-commit, unstaged files are set aside while hooks run: a tree that was
    rendered but not staged looks stale."""
    folders = sorted({f"{out.fleet.output.dir.rstrip('/')}/" for out in result.outputs})
    staged = " ".join(folders) or "the rendered folders"
    return (f"pre-commit checks what is staged: if you already ran `mcgen render`, stage its "
            f"output (`git add {staged}`) and commit again; otherwise run `mcgen render`.")
