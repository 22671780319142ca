"""`mcgen lint`."""

from __future__ import annotations

import os
import sys

import click

from mcgen.console import emit, status
from mcgen.lint.engine import LintRequest, lint
from mcgen.lint.report import FORMATS, reporter


def default_format() -> str:
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    return "github" if on_actions and "github" in FORMATS else "text"


@click.command(
    "lint",
    epilog="Examples:\n\n  mcgen lint                         # every fleets/*.yaml\n\n"
           "  mcgen lint fleets/acme.yaml --format sarif --output mcgen.sarif\n\n"
           "  mcgen lint manifests/ --kubernetes-version 1.30",
)
@click.argument("targets", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Report format (default: text; github under GitHub Actions).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--kubernetes-version", help="Version for plain manifests (fleets use each "
                                           "cluster's own).")
@click.option("--select", multiple=True, help="Run only this rule (repeatable).")
@click.option("--disable", multiple=True, help="Skip this rule (repeatable).")
def command(targets: tuple[str, ...], fmt: str | None, output: str | None,
            kubernetes_version: str | None, select: tuple[str, ...],
            disable: tuple[str, ...]) -> int:
    """Render fleets in memory and run every rule; lint plain manifests too."""
    request = LintRequest(targets=targets, cwd=os.getcwd(),
                          kubernetes_version=kubernetes_version, select=select, disable=disable)
    with status("Rendering and linting...", sys.stderr):
        result = lint(request)
    text = reporter(fmt or default_format())(result)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    elif (fmt or "text") == "text":
        emit(text, sys.stdout)
    else:
        click.echo(text, nl=False)
    return 1 if result.failed else 0
