"""Several fleets in one repository (FLEET-SPEC §11).

Fleets may write into one output folder as long as no two of them render the same
cluster folder (nor one inside another's, when one output folder lies in the other), and
no two share a name: either would make two fleets own, rewrite and prune the same files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence

from mcgen.fleet.model import Fleet
from mcgen.location import Problem


def shared_output_problems(fleets: Sequence[Fleet]) -> list[Problem]:
    """Every cluster folder two fleets would both write, and every fleet name used twice,
    reported at both places."""
    problems = list(_same_names(fleets))
    owners: dict[str, tuple[Fleet, str]] = {}
    for fleet in fleets:
        for cluster in fleet.clusters:
            folder = _folder(fleet, cluster)
            owner = owners.setdefault(folder, (fleet, cluster))
            if owner[0] is not fleet:
                problems += _both(fleet, cluster, *owner, folder)
    for folder, (fleet, cluster) in owners.items():
        parts = folder.split("/")
        for end in range(1, len(parts)):
            outer = owners.get("/".join(parts[:end]))
            if outer is not None and outer[0] is not fleet:
                problems += _both(fleet, cluster, *outer, "/".join(parts[:end]))
    return problems


def _both(fleet: Fleet, cluster: str, other: Fleet, theirs: str, folder: str) -> list[Problem]:
    return [_clash(fleet, cluster, other, theirs, folder),
            _clash(other, theirs, fleet, cluster, folder)]


def _folder(fleet: Fleet, cluster: str) -> str:
    return posixpath.join(posixpath.normpath(fleet.output.dir), cluster)


def _clash(fleet: Fleet, cluster: str, other: Fleet, theirs: str, folder: str) -> Problem:
    where = other.where_cluster(theirs)
    return Problem(fleet.where_cluster(cluster),
                   f"cluster {cluster!r} of fleet {fleet.name!r} is written in {folder}/, "
                   f"which fleet {other.name!r} writes too (its cluster {theirs!r} at "
                   f"{where}); fleets may share an output folder only on disjoint clusters: "
                   "rename one cluster or give one fleet its own spec.output.dir")


def _same_names(fleets: Sequence[Fleet]) -> Iterator[Problem]:
    seen: dict[str, Fleet] = {}
    for fleet in fleets:
        first = seen.setdefault(fleet.name, fleet)
        if first is not fleet:
            for one, other in ((first, fleet), (fleet, first)):
                yield Problem(one.where("metadata", "name"),
                              f"fleet name {one.name!r} is also the name of the fleet in "
                              f"{other.spec_path}; every fleet needs a name of its own")
