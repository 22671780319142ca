"""`mcgen promote`."""

from __future__ import annotations

import os

import click

from mcgen.rollout.promote import PromoteRequest, promote
from mcgen.rollout.report import promotion_text


@click.command(
    "promote",
    epilog="Examples:\n\n  mcgen promote --wave 1 --push\n\n"
           "  mcgen promote --wave 2          # locally, to what wave 1 runs\n\n"
           "  mcgen promote --wave 1 --to 3f2c1ab --push   # back to an earlier commit",
)
@click.option("--wave", type=int, required=True, help="The wave to promote.")
@click.option("--to", "to", metavar="REV",
              help="A commit the wave before has reached (default: what it runs).")
@click.option("--push", is_flag=True, help="Fetch the remote first and move its ref too.")
@click.option("--remote", default="origin", show_default=True)
def command(wave: int, to: str | None, push: bool, remote: str) -> int:
    """Move wave N's ref (mcgen/wave-N) to the commit wave N-1 runs (wave 1: the branch
    head); refuses to skip a wave, cut a soak short or reach a frozen cluster."""
    done = promote(PromoteRequest(wave, os.getcwd(), to, push, remote))
    click.echo(promotion_text(done), nl=False)
    return 0
