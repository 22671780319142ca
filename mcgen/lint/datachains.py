"""Which resident data each placed component can hand to its consumers, and by what path.

A component placed on a cluster carries its own data class (when resident) and, through
each of its dependencies, every class that dependency carries where the component reaches
it. For each class the shortest path is kept (fewest hops, then the first found in fleet
order). The fleet loader refuses dependency cycles, so every path ends.
"""

from __future__ import annotations

from typing import NamedTuple

from mcgen.connectivity import dependency_edges
from mcgen.fleet.model import DataClass, Fleet
from mcgen.lint.residency import resident_class


class Hop(NamedTuple):
    component: str
    cluster: str


class Chain(NamedTuple):
    """Resident `data` reached along `hops`: from the component that carries it to the one
    that holds it (a single hop when the component holds the data itself)."""

    data: DataClass
    hops: tuple[Hop, ...]

    @property
    def origin(self) -> Hop:
        return self.hops[-1]


def carried_classes(fleet: Fleet) -> dict[Hop, tuple[Chain, ...]]:
    """For every placed (component, cluster), the resident classes it can pass on."""
    reaches: dict[Hop, list[Hop]] = {}
    for edge in dependency_edges(fleet):
        reaches.setdefault(Hop(edge.consumer, edge.source), []).append(
            Hop(edge.dependency, edge.target))
    best: dict[Hop, dict[str, Chain]] = {}
    for component, clusters in fleet.placements.items():
        data = resident_class(fleet, fleet.components[component].data_class)
        if data is None:
            continue
        for cluster in clusters:
            holder = Hop(component, cluster)
            best.setdefault(holder, {})[data.name] = Chain(data, (holder,))
    while _relax(reaches, best):
        pass
    return {node: tuple(chains[name] for name in sorted(chains))
            for node, chains in best.items()}


def _relax(reaches: dict[Hop, list[Hop]], best: dict[Hop, dict[str, Chain]]) -> bool:
    """Extend every path by one hop where that is shorter; whether any path changed."""
    changed = False
    for node, targets in reaches.items():
        for target in targets:
            for name, chain in list(best.get(target, {}).items()):
                mine = best.setdefault(node, {})
                current = mine.get(name)
                if current is None or len(current.hops) > len(chain.hops) + 1:
                    mine[name] = Chain(chain.data, (node, *chain.hops))
                    changed = True
    return changed
