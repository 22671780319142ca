"""`mcgen kubeconform`: kubeconform's own flags, passed through untouched."""

from __future__ import annotations

import sys

import click

from mcgen.kubeconform import run


@click.command(
    "kubeconform",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                      "help_option_names": []},
    add_help_option=False,
    epilog="Example: mcgen kubeconform -strict -summary -kubernetes-version 1.31.0 manifests/",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def command(args: tuple[str, ...]) -> int:
    """Drop-in for the kubeconform CLI (same flags, output, exit codes); -h for its help."""
    return run(list(args), sys.stdin, sys.stdout, sys.stderr)
