"""`mcgen secrets config` and `mcgen secrets updatekeys`."""

from __future__ import annotations

import os

import click

from mcgen.pipeline import discover_specs, load_fleets
from mcgen.secrets.config import sops_config
from mcgen.secrets.updatekeys import KeyState, key_states, update_all

FLEETS = click.argument("fleets", nargs=-1, type=click.Path(dir_okay=False))


@click.group(
    "secrets",
    epilog="Examples:\n\n  mcgen secrets config                  # write .sops.yaml rules\n\n"
           "  sops --encrypt --in-place secrets/eu-west/db.yaml   # eu-west's keys only\n\n"
           "  mcgen secrets updatekeys --check     # exit 1 if a file's recipients are stale",
)
def command() -> None:
    """SOPS per cluster: .sops.yaml from the fleet, re-keying after a recipient change."""


@command.command(
    "config",
    epilog="Examples:\n\n  mcgen secrets config\n\n  mcgen secrets config --check   # in CI",
)
@FLEETS
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if .sops.yaml is stale.")
def config(fleets: tuple[str, ...], check: bool) -> int:
    """Write the creation rules of each fleet into .sops.yaml (your own rules are kept)."""
    results = sops_config(load_fleets(discover_specs(fleets, os.getcwd())), check)
    for result in results:
        shown = os.path.basename(result.path)  # at the root: named as every command names paths
        verb = ("is stale: run `mcgen secrets config`" if check else "written") \
            if result.changed else "is up to date"
        click.echo(f"{shown} {verb}", err=True)
        for folder in result.skipped:
            click.echo(f"  no rule for {folder}: its clusters declare no recipients", err=True)
    return 1 if check and any(r.changed for r in results) else 0


@command.command(
    "updatekeys",
    epilog="Examples:\n\n  SOPS_AGE_KEY_FILE=~/keys/platform.txt mcgen secrets updatekeys\n\n"
           "  mcgen secrets updatekeys --check   # exit 1 listing every stale file",
)
@FLEETS
@click.option("--check", is_flag=True,
              help="Change nothing; exit 1 if a file's recipients differ from its clusters'.")
def updatekeys(fleets: tuple[str, ...], check: bool) -> int:
    """Re-encrypt (sops updatekeys) every file whose clusters' recipients changed."""
    loaded = load_fleets(discover_specs(fleets, os.getcwd()))
    if not check:
        sops_config(loaded, check=False)
    states = [s for fleet in loaded
              for s in (key_states(fleet) if check else update_all(fleet))]
    for state in states:
        if state.status != "current":
            click.echo(_line(state))
    stale = sum(s.status in ("stale", "failed") for s in states)
    click.echo(f"{len(states)} encrypted file(s), {stale} with stale recipients"
               if check else f"{len(states)} encrypted file(s), "
               f"{sum(s.status == 'updated' for s in states)} re-keyed, "
               f"{sum(s.status == 'failed' for s in states)} failed", err=True)
    return 1 if stale else 0


def _line(state: KeyState) -> str:
    change = [f"+{r}" for r in state.added] + [f"-{r}" for r in state.removed]
    detail = f": {state.detail}" if state.detail else ""
    return f"{state.path}: {state.status} ({', '.join(change)}){detail}"
