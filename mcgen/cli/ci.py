"""`mcgen ci`."""

from __future__ import annotations

import os
import sys

import click

from mcgen import changereport
from mcgen.ci import CiRequest, CiResult, run_ci, summary, write
from mcgen.console import emit, status
from mcgen.lint.report import reporter
from mcgen.prcomment import GITHUB_LIMIT


@click.command(
    "ci",
    epilog="Example (a pull request on GitHub):\n\n"
           "  mcgen ci --base origin/${GITHUB_BASE_REF} --summary mcgen.md --sarif mcgen.sarif",
)
@click.option("--base", required=True, help="The pull request's base revision.")
@click.option("--head", default="HEAD", show_default=True, help="The revision to judge.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False),
              help="Write the Markdown PR comment here.")
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False),
              help="Write SARIF 2.1.0 for code scanning here.")
@click.option("--summary-limit", type=click.IntRange(min=2000), default=GITHUB_LIMIT,
              show_default=True, help="Cut the summary to this many characters (GitHub's "
              "comment limit); the whole one then goes to SUMMARY-full.md.")
def command(base: str, head: str, summary_path: str | None, sarif_path: str | None,
            summary_limit: int) -> int:
    """The pull-request gate: drift, every lint rule, the rendered diff and blast radius."""
    with status("Rendering base and head...", sys.stderr):
        result = run_ci(CiRequest(base=base, head=head, cwd=os.getcwd()))
    for note in result.notes:
        click.echo(f"mcgen ci: {note}", err=True)
    emit(reporter("text")(result.lint), sys.stdout)
    click.echo(changereport.text(result.changes), nl=False)
    if summary_path:
        _write_summary(summary_path, result, summary_limit)
    write(sarif_path, reporter("sarif")(result.lint))
    return 1 if result.failed else 0


def _write_summary(path: str, result: CiResult, limit: int) -> None:
    """The comment, and beside it the whole report when the comment had to be cut."""
    stem, _ = os.path.splitext(path)
    full_path = f"{stem}-full.md"
    whole = summary(result, limit=sys.maxsize)
    write(path, summary(result, limit, os.path.basename(full_path)))
    if len(whole) > limit:
        write(full_path, whole)
    elif os.path.exists(full_path):
        os.remove(full_path)  # a previous run's, now stale
