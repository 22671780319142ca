"""`mcgen init`."""

from __future__ import annotations

import os

import click

from mcgen.errors import UsageError
from mcgen.fleet.discover import locate_root
from mcgen.pipeline import RenderRequest, render
from mcgen.scaffold import scaffold


@click.command("init", epilog="Examples:\n\n  mcgen init my-fleet && cd my-fleet && mcgen lint\n\n"
                              "  mcgen init .   # an existing repository: adds what is missing")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--no-render", is_flag=True, help="Write the sources only, not clusters/.")
def command(directory: str, no_render: bool) -> int:
    """Scaffold a fleet repository (fleet, templates, policies, pre-commit, CI workflow).

    Into an existing repository it adds what is missing and never overwrites a file.
    """
    outer = locate_root(os.path.dirname(os.path.abspath(directory)))
    if outer is not None and not os.path.isdir(os.path.join(directory, "fleets")):
        raise UsageError(f"{directory} lies inside the fleet repository {outer}: run "
                         f"`mcgen init {outer}` to add what it lacks, rather than nesting one")
    os.makedirs(directory, exist_ok=True)
    done = scaffold(directory)
    for path in done.created:
        click.echo(f"created {os.path.join(directory, path)}", err=True)
    for path in done.kept:
        click.echo(f"kept    {os.path.join(directory, path)} (exists; not overwritten)", err=True)
    if done.gitignore_added:
        click.echo(f"added   .mcgen/ to {os.path.join(directory, '.gitignore')}", err=True)
    if done.example and not no_render:
        render(RenderRequest(cwd=os.path.abspath(directory)))
        click.echo(f"rendered {os.path.join(directory, 'clusters')}/", err=True)
    click.echo(f"Next: cd {directory} && git init && pre-commit install && mcgen lint", err=True)
    return 0
