"""`mcgen graph`."""

from __future__ import annotations

import os

import click

from mcgen.graph import FORMATS
from mcgen.pipeline import discover_specs, load_fleets


@click.command(
    "graph",
    epilog="Examples:\n\n  mcgen graph                        # Mermaid, every fleets/*.yaml\n\n"
           "  mcgen graph --format markdown -o FLEET.md\n\n"
           "  mcgen graph fleets/acme.yaml --format csv",
)
@click.argument("fleets", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="mermaid",
              help="mermaid (diagram), markdown (diagram + firewall matrix), csv or json "
                   "(firewall matrix).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here.")
def command(fleets: tuple[str, ...], fmt: str, output: str | None) -> int:
    """Draw zones, clusters, groups and cross-cluster dependencies; print the firewall matrix."""
    loaded = load_fleets(discover_specs(fleets, os.getcwd()))
    text = "".join(FORMATS[fmt](fleet) for fleet in loaded)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
    return 0
