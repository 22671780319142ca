"""`mcgen schema`."""

from __future__ import annotations

import click

from mcgen.fleet.schema import schema_text


@click.command(
    "schema",
    epilog="Examples:\n\n  mcgen schema -o schemas/fleet.schema.json   # after upgrading mcgen\n\n"
           "  `mcgen init` writes that file, and a fleet file's first line points at it:\n"
           "  # yaml-language-server: $schema=../schemas/fleet.schema.json",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write it here.")
def command(output: str | None) -> int:
    """Print the fleet spec's JSON Schema (the one mcgen validates with), for editors."""
    text = schema_text()
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)
    return 0
