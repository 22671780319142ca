"""`mcgen waves`."""

from __future__ import annotations

import os

import click

from mcgen.rollout import waves
from mcgen.rollout.report import states_text


@click.command(
    "waves",
    epilog="Examples:\n\n  mcgen waves\n\n  mcgen waves --remote origin",
)
@click.option("--remote", metavar="NAME", help="Fetch NAME and show its wave refs.")
def command(remote: str | None) -> int:
    """Print what each rollout wave runs (its ref mcgen/wave-N) and what waits for it."""
    source = waves.open_source(os.getcwd(), remote)
    plan = waves.load_plan(source)
    click.echo(states_text(waves.states(source, plan), plan.branch), nl=False)
    return 0
