"""`mcgen rules`."""

from __future__ import annotations

import click

from mcgen.errors import UsageError
from mcgen.lint.registry import ENGINE_RULES, RULES, documentation
from mcgen.suggest import did_you_mean


@click.command(
    "rules", epilog="Examples:\n\n  mcgen rules\n\n  mcgen rules --explain replica-drift")
@click.option("--explain", metavar="ID", help="Print one rule's documentation.")
def command(explain: str | None) -> int:
    """List the rules with their severity, or explain one."""
    if explain:
        doc = documentation(explain)
        if doc is None:
            known = [*RULES, *ENGINE_RULES]
            raise UsageError(f"unknown rule {explain!r}{did_you_mean(explain, known)} "
                             "(see `mcgen rules`)")
        click.echo(doc.strip())
        return 0
    rows = [(rule_id, str(m.SEVERITY), (m.__doc__ or "").strip().splitlines()[0])
            for rule_id, m in RULES.items()]
    rows += [(rule_id, str(sev), "suppressions must give a reason and may expire")
             for rule_id, sev in ENGINE_RULES.items()]
    for rule_id, severity, title in sorted(rows):
        summary = title.split(":", 1)[-1].strip()
        click.echo(f"{rule_id:<24} {severity:<8} {summary}")
    return 0
