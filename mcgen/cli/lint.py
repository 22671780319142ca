"""`mcgen lint`."""

from __future__ import annotations

import os
import sys

import click

from mcgen.console import emit, status
from mcgen.lint.engine import LintRequest, LintResult, lint
from mcgen.lint.report import FORMATS, reporter
from mcgen.shard import merge, parse_shard, read_report


def default_format() -> str:
    on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    return "github" if on_actions and "github" in FORMATS else "text"


@click.command(
    "lint",
    epilog="Examples:\n\n  mcgen lint                         # every fleets/*.yaml\n\n"
           "  mcgen lint fleets/acme.yaml --format sarif --output mcgen.sarif\n\n"
           "  mcgen lint manifests/ --kubernetes-version 1.30 --crd crds/\n\n"
           "  mcgen lint --full                  # reuse nothing the last lint found\n\n"
           "  mcgen lint --shard 2/4 --format json -o shard2.json   # one CI job of four\n\n"
           "  mcgen lint --merge shard1.json --merge shard2.json ...",
)
@click.argument("targets", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Report format (default: text; github under GitHub Actions).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--kubernetes-version", help="Version for plain manifests (fleets use each "
                                           "cluster's own).")
@click.option("--crd", "crds", multiple=True, type=click.Path(exists=True),
              help="A CRD file or folder whose schemas validate custom objects (repeatable; "
                   "adds to spec.lint.crds).")
@click.option("--select", multiple=True, help="Run only this rule (repeatable).")
@click.option("--disable", multiple=True, help="Skip this rule (repeatable).")
@click.option("--shard", metavar="K/N", help="Lint only shard K of N (groups stay together); "
              "what compares shards is made by --merge of their JSON reports.")
@click.option("--full", is_flag=True, help="Lint every cluster, reusing nothing the last lint "
                                           "found (it reuses only what cannot have changed).")
@click.option("--merge", "merge_reports", multiple=True, type=click.Path(dir_okay=False),
              help="Merge `--format json` reports of shards instead of linting (repeatable).")
def command(targets: tuple[str, ...], fmt: str | None, output: str | None,
            kubernetes_version: str | None, crds: tuple[str, ...], select: tuple[str, ...],
            disable: tuple[str, ...], shard: str | None, full: bool,
            merge_reports: tuple[str, ...]) -> int:
    """Render fleets in memory and run every rule; lint plain manifests too."""
    if merge_reports:
        merged = merge(read_report(path) for path in merge_reports)
        result = LintResult(tuple(merged.findings), merged.objects, tuple(merged.rules))
    else:
        request = LintRequest(targets=targets, cwd=os.getcwd(),
                              kubernetes_version=kubernetes_version, crds=crds, select=select,
                              disable=disable, shard=parse_shard(shard) if shard else None,
                              full=full)
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
