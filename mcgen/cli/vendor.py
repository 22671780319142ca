"""`mcgen vendor`."""

from __future__ import annotations

import os
import sys

import click

from mcgen.console import status
from mcgen.helm.vendor import VendorRequest, vendor_fleets


@click.command(
    "vendor",
    epilog="Examples:\n\n  mcgen vendor                      # every fleets/*.yaml\n\n"
           "  mcgen vendor fleets/acme.yaml     # the charts one fleet pins",
)
@click.argument("fleets", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def command(fleets: tuple[str, ...], quiet: bool) -> int:
    """Pull the charts of spec.charts into charts/ and pin them in charts.lock.

    Charts already as locked are not downloaded again; render never downloads.
    """
    with status("Vendoring charts...", sys.stderr):
        result = vendor_fleets(VendorRequest(fleets, os.getcwd()))
    if not quiet:
        for name in result.pulled:
            click.echo(f"pulled {name}", err=True)
        for name in result.removed:
            click.echo(f"removed {name} (no longer in spec.charts)", err=True)
        click.echo(f"{len(result.pulled)} pulled, {len(result.kept)} already vendored, "
                   f"{len(result.removed)} removed; charts.lock is current", err=True)
    return 0
