"""`mcgen render`."""

from __future__ import annotations

import os
import sys

import click

from mcgen.console import emit, status
from mcgen.pipeline import RenderRequest, RenderResult, render


@click.command(
    "render",
    epilog="Examples:\n\n  mcgen render                      # every fleets/*.yaml\n\n"
           "  mcgen render fleets/acme.yaml --check   # exit 1 and a diff if stale",
)
@click.argument("fleets", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 with a diff if the committed tree is stale.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option("--no-diff", is_flag=True, help="With --check, list the files but show no diff.")
def command(fleets: tuple[str, ...], check: bool, quiet: bool, no_diff: bool) -> int:
    """Render each fleet's per-cluster trees (FLEET-SPEC §5) into the repository."""
    with status("Rendering...", sys.stderr):
        result = render(RenderRequest(specs=fleets, check=check, cwd=os.getcwd()))
    if check:
        return _report_check(result, quiet, no_diff)
    if not quiet:
        for out in result.outputs:
            plan = out.plan
            click.echo(f"{out.fleet.name}: {len(out.fleet.clusters)} clusters, "
                       f"{len(plan.desired)} files ({len(plan.writes)} written, "
                       f"{len(plan.deletes)} removed)", err=True)
    return 0


def _report_check(result: RenderResult, quiet: bool, no_diff: bool) -> int:
    emit("".join(f"{finding}\n" for finding in result.findings), sys.stdout)
    if result.findings and not no_diff:
        click.echo(result.diff, nl=False)
    if not result.findings and not quiet:
        names = ", ".join(result.specs)
        click.echo(f"{names}: the committed tree is up to date", err=True)
    return 1 if result.findings else 0
