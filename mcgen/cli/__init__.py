"""The `mcgen` command: a lazy click group and the one place errors become exit codes.

Each subcommand lives in its own module and is imported only when it runs, so that
`mcgen --version` and a no-op pre-commit hook start fast.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import os
import sys

import click

from mcgen import __version__, settings
from mcgen.errors import McgenError, denied

# name -> "module:attribute"; kept explicit so `mcgen --help` never imports a command.
COMMANDS: dict[str, str] = {
    "render": "mcgen.cli.render:command",
    "lint": "mcgen.cli.lint:command",
    "kubeconform": "mcgen.cli.kubeconform:command",
    "diff": "mcgen.cli.diff:command",
    "ci": "mcgen.cli.ci:command",
    "init": "mcgen.cli.init:command",
    "rules": "mcgen.cli.rules:command",
    "graph": "mcgen.cli.graph:command",
    "access": "mcgen.cli.access:command",
    "schema": "mcgen.cli.schema:command",
    "promote": "mcgen.cli.promote:command",
    "waves": "mcgen.cli.waves:command",
    "secrets": "mcgen.cli.secrets:command",
    "vendor": "mcgen.cli.vendor:command",
}

SUMMARIES: dict[str, str] = {
    "render": "Render the fleet's per-cluster trees (--check: exit 1 if stale).",
    "lint": "Render in memory and run every policy; lint plain manifests too.",
    "kubeconform": "Drop-in for the kubeconform CLI (same flags, output, exit codes).",
    "diff": "Rendered diff per cluster between two git revisions.",
    "ci": "The pull-request gate: drift, lint and blast radius in one run.",
    "init": "Scaffold a fleet repository.",
    "rules": "List the rules, or explain one.",
    "graph": "Draw the fleet (Mermaid) and print the firewall matrix.",
    "access": "Who can do what on which cluster (RBAC matrix, one subject's view).",
    "schema": "Print the fleet spec's JSON Schema, for editors.",
    "promote": "Move a rollout wave's ref to what the wave before it runs.",
    "waves": "Print what each rollout wave runs and what waits for it.",
    "secrets": "SOPS per cluster: write .sops.yaml, re-key files after a recipient change.",
    "vendor": "Pull spec.charts into charts/ and pin them in charts.lock.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not _available(cmd_name):
            return None
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _available(name: str) -> bool:
    module_name = COMMANDS[name].partition(":")[0]
    return importlib.util.find_spec(module_name) is not None


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: mcgen render && mcgen lint",
)
@click.version_option(__version__, prog_name="mcgen")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Render and gate multi-cluster GitOps fleets."""
    settings.check_all()  # a malformed MCGEN_* variable is exit 2 before any work


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map library errors to exit codes 2 (input) and 3 (bug)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or bool(os.environ.get("MCGEN_DEBUG"))
    collecting = gc.isenabled()
    # A run builds millions of objects that reference counting frees (parsed documents,
    # rendered files) and almost no cycles: the cyclic collector walking them again and
    # again took 40% of a large render.
    gc.disable()
    try:
        code = cli.main(args=args, prog_name="mcgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = 130
    except McgenError as exc:
        click.echo(str(exc), err=True)
        code = exc.exit_code
    except BrokenPipeError:
        code = 0
    except PermissionError as exc:
        click.echo(denied(exc), err=True)
        code = 2
    except Exception:
        click.echo("mcgen: internal error; this is a bug, please report it.", err=True)
        if debug:
            import traceback  # an internal error only

            traceback.print_exc()
        else:
            click.echo("Run again with --debug for the traceback.", err=True)
        code = 3
    finally:
        if collecting:
            gc.enable()
    sys.exit(code if isinstance(code, int) else 0)


def run() -> None:
    """The `mcgen` command: `main`, then exit without tearing down the heap, which takes
    a noticeable part of a second after a large render. Every file is closed by then."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        pass
    os._exit(code)
