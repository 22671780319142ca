"""Every component source mcgen knows, by the fleet spec field that selects it.

Adding one is one module and one line here (see `mcgen.sources`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mcgen.fleet.model import Component, Fleet
from mcgen.location import Problem
from mcgen.sources.base import ComponentSource, SourceRun
from mcgen.sources.chart.source import CHARTS
from mcgen.sources.jinja.source import JINJA
from mcgen.sources.kustomize.source import KUSTOMIZE
from mcgen.sources.manifests.source import MANIFESTS

SOURCES: Mapping[str, ComponentSource] = {
    "template": JINJA,
    "chart": CHARTS,
    "kustomize": KUSTOMIZE,
    "manifests": MANIFESTS,
}

for _field, _source in SOURCES.items():
    assert _source.field == _field, f"source registered as {_field!r} says {_source.field!r}"


def source_of(component: Component) -> ComponentSource:
    return SOURCES[component.source.kind]


def unsupported(fleet: Fleet) -> Iterator[Problem]:
    """Components naming a source kind this mcgen cannot render yet."""
    for component in fleet.components.values():
        if component.source.kind not in SOURCES:
            yield Problem(fleet.where_component(component.name, component.source.kind),
                          f"component {component.name!r}: `{component.source.kind}:` "
                          "sources are not supported by this version of mcgen")


def start_runs(fleet: Fleet) -> dict[str, SourceRun]:
    """A run of each source kind the fleet's components use."""
    kinds = dict.fromkeys(c.source.kind for c in fleet.components.values())
    return {kind: SOURCES[kind].start(fleet) for kind in kinds if kind in SOURCES}


def fleet_inputs(fleet: Fleet) -> tuple[str, ...]:
    """Every repo-relative file or folder the fleet's components read, sorted."""
    found = {path for component in fleet.components.values()
             if component.source.kind in SOURCES
             for path in source_of(component).inputs(fleet, component)}
    return tuple(sorted(found))
