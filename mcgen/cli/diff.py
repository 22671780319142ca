"""`mcgen diff`."""

from __future__ import annotations

import os

import click

from mcgen import changereport, gitrepo
from mcgen.changes import change_set
from mcgen.fleet.discover import find_root


@click.command(
    "diff",
    epilog="Examples:\n\n  mcgen diff --base origin/main\n\n"
           "  mcgen diff --base v1.4 --head HEAD --format markdown > change.md",
)
@click.option("--base", required=True, help="The revision to compare from (e.g. origin/main).")
@click.option("--head", default="HEAD", show_default=True, help="The revision to compare to.")
@click.option("--format", "fmt", type=click.Choice(sorted(changereport.FORMATS)),
              default="text", show_default=True)
def command(base: str, head: str, fmt: str) -> int:
    """Rendered diff per cluster between two git revisions (work tree and index untouched)."""
    top = gitrepo.top_level(gitrepo.open_repo(os.getcwd()))
    within = os.path.relpath(find_root(os.getcwd()), top)
    click.echo(changereport.FORMATS[fmt](change_set(top, base, head, within)), nl=False)
    return 0
