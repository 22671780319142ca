"""`mcgen access`: the request, and the one call the command makes."""

from __future__ import annotations

from dataclasses import dataclass

from mcgen.access.matrix import AccessQuery, FleetAccess
from mcgen.access.report import FORMATS
from mcgen.access.subjects import parse_subject
from mcgen.access.tree import rendered_access, tree_access
from mcgen.errors import UsageError
from mcgen.fleet.access import SUBJECT_HINT
from mcgen.pipeline import discover_specs, load_fleets, render_trees


@dataclass(frozen=True)
class AccessRequest:
    specs: tuple[str, ...] = ()
    cwd: str = "."
    subject: str | None = None
    clusters: tuple[str, ...] = ()
    namespace: str | None = None
    resource: str | None = None
    verb: str | None = None
    fmt: str = "text"
    render: bool = False  # render in memory instead of reading the rendered tree


def fleet_accesses(request: AccessRequest) -> list[FleetAccess]:
    fleets = load_fleets(discover_specs(request.specs, request.cwd))
    known = {name for fleet in fleets for name in fleet.clusters}
    unknown = [name for name in request.clusters if name not in known]
    if unknown:
        raise UsageError(f"unknown cluster {', '.join(unknown)} (clusters: "
                         f"{', '.join(sorted(known))})")
    if not request.render:
        return [tree_access(fleet) for fleet in fleets]
    return [rendered_access(fleet, ((o.cluster, o.ref, o.body) for o in rendered.objects))
            for fleet, rendered, _ in render_trees(fleets)]


def query_of(request: AccessRequest) -> AccessQuery:
    subject = parse_subject(request.subject) if request.subject else None
    if request.subject and subject is None:
        raise UsageError(f"--subject {request.subject!r} is not a subject; {SUBJECT_HINT}")
    return AccessQuery(subject, request.clusters, request.namespace, request.resource,
                       request.verb)


def show(request: AccessRequest) -> str:
    """The matrix, or one subject's view, in the requested format."""
    query = query_of(request)
    return FORMATS[request.fmt](fleet_accesses(request), query)
