"""`mcgen access`."""

from __future__ import annotations

import os

import click

from mcgen.access.report import FORMATS
from mcgen.access.show import AccessRequest, show


@click.command(
    "access",
    epilog="Examples:\n\n  mcgen access                                  # the matrix\n\n"
           "  mcgen access --subject Group:acme:developers   # what one subject can do\n\n"
           "  mcgen access --resource secrets --verb get --namespace accounts\n\n"
           "  mcgen access --cluster eu-west --format csv > eu-west-access.csv",
)
@click.argument("fleets", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--subject", help="User:<name>, Group:<name> or ServiceAccount:<ns>:<name>.")
@click.option("--cluster", "clusters", multiple=True, help="Only this cluster (repeatable).")
@click.option("--namespace", help="Only grants that apply in this namespace.")
@click.option("--resource", help="Only grants on this resource (secrets, pods/exec, "
                                 "deployments.apps).")
@click.option("--verb", help="Only grants of this verb (get, create, ...).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True)
@click.option("--render", is_flag=True, help="Render in memory instead of reading the "
                                             "rendered tree.")
def command(fleets: tuple[str, ...], subject: str | None, clusters: tuple[str, ...],
            namespace: str | None, resource: str | None, verb: str | None, fmt: str,
            render: bool) -> int:
    """Who can do what on which cluster, from the rendered RBAC and built-in roles."""
    request = AccessRequest(fleets, os.getcwd(), subject, clusters, namespace, resource,
                            verb, fmt, render)
    click.echo(show(request), nl=False)
    return 0
