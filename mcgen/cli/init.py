"""`mcgen init`."""

from __future__ import annotations

import os

import click

from mcgen.pipeline import RenderRequest, render
from mcgen.scaffold import scaffold


@click.command("init", epilog="Example:\n\n  mcgen init my-fleet && cd my-fleet && mcgen lint")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--no-render", is_flag=True, help="Write the sources only, not clusters/.")
def command(directory: str, no_render: bool) -> int:
    """Scaffold a fleet repository (fleet, templates, policies, pre-commit, CI workflow)."""
    os.makedirs(directory, exist_ok=True)
    written = scaffold(directory)
    for path in written:
        click.echo(f"created {os.path.join(directory, path)}", err=True)
    if not no_render:
        render(RenderRequest(cwd=os.path.abspath(directory)))
        click.echo(f"rendered {os.path.join(directory, 'clusters')}/", err=True)
    click.echo(f"Next: cd {directory} && git init && pre-commit install && mcgen lint", err=True)
    return 0
