"""`mcgen schema`."""

from __future__ import annotations

import json

import click

from mcgen.fleet.schema import fleet_schema


@click.command(
    "schema",
    epilog="Examples:\n\n  mcgen schema > .vscode/mcgen-fleet.schema.json\n\n"
           "  then in a fleet file's first line:\n"
           "  # yaml-language-server: $schema=../.vscode/mcgen-fleet.schema.json",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write it here.")
def command(output: str | None) -> int:
    """Print the fleet spec's JSON Schema (the one mcgen validates with), for editors."""
    text = json.dumps(fleet_schema(), indent=2, sort_keys=False) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
    return 0
