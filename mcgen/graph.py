"""`mcgen graph`: the fleet as a Mermaid diagram, and the firewall matrix.

Zones are subgraphs holding their clusters; a replication group whose clusters share a
zone is a subgraph inside it (a group across zones is drawn as dotted links between its
clusters). Cross-cluster dependencies are arrows labelled `consumer -> dependency :port`;
an arrow no firewall entry opens is dashed, red and labelled `NO FIREWALL`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import NamedTuple

from mcgen.connectivity import Edge, covering_rule, cross_cluster_edges
from mcgen.fleet.model import Fleet, Group


class Path(NamedTuple):
    """One row of the firewall matrix: consumers on `source` reach `dependency` on `target`."""

    source: str
    target: str
    dependency: str
    port: int | None
    consumers: tuple[str, ...]
    firewall: int | None  # index of the covering `spec.firewall` entry

    @property
    def covered(self) -> bool:
        return self.firewall is not None


def firewall_matrix(fleet: Fleet) -> list[Path]:
    """Every cross-cluster path, with the firewall entry that opens it (if any)."""
    rows: dict[tuple[str, str, str, int | None], list[str]] = {}
    for edge in cross_cluster_edges(fleet):
        key = (edge.source, edge.target, edge.dependency, edge.port)
        rows.setdefault(key, []).append(edge.consumer)
    found = []
    for (source, target, dependency, port), consumers in rows.items():
        rule = covering_rule(fleet, Edge(consumers[0], dependency, 0, source, target, port))
        found.append(Path(source, target, dependency, port, tuple(sorted(set(consumers))),
                          None if rule is None else rule.index))
    return sorted(found, key=lambda p: (p.target, p.dependency, p.source))


def _id(kind: str, name: str) -> str:
    return f"{kind}_{re.sub(r'[^A-Za-z0-9]', '_', name)}"


def _port(port: int | None) -> str:
    return f":{port}" if port is not None else ":any"


def mermaid(fleet: Fleet) -> str:
    """A Mermaid flowchart of zones, clusters, groups and cross-cluster dependencies."""
    lines = ["flowchart LR"]
    nested = {g.name: g for g in fleet.groups.values() if _one_zone(fleet, g)}
    for zone in fleet.zones.values():
        lines += _zone(fleet, zone.name, zone.regulation, nested)
    links = []
    for group in fleet.groups.values():
        if group.name not in nested:
            first, *rest = group.clusters
            links += [f"  {_id('c', first)} -. replicas {group.name} .- {_id('c', other)}"
                      for other in rest]
    missing = []
    for path in firewall_matrix(fleet):
        label = f"{', '.join(path.consumers)} -> {path.dependency} {_port(path.port)}"
        ends = (_id("c", path.source), _id("c", path.target))
        if path.covered:
            links.append(f'  {ends[0]} -->|"{label}"| {ends[1]}')
        else:
            missing.append(len(links))
            links.append(f'  {ends[0]} -.->|"NO FIREWALL: {label}"| {ends[1]}')
    lines += links
    lines += [f"  linkStyle {index} stroke:#d00,stroke-width:2px,color:#d00"
              for index in missing]
    return "\n".join(lines) + "\n"


def _one_zone(fleet: Fleet, group: Group) -> bool:
    return len({fleet.clusters[c].zone for c in group.clusters if c in fleet.clusters}) == 1


def _zone(fleet: Fleet, zone: str, regulation: str | None, nested: dict[str, Group]
          ) -> list[str]:
    title = f"zone {zone}" + (f" ({regulation})" if regulation else "")
    lines = [f'  subgraph {_id("z", zone)}["{title}"]']
    members = [c for c in fleet.clusters.values() if c.zone == zone]
    drawn: set[str] = set()
    for group in nested.values():
        if fleet.clusters[group.clusters[0]].zone == zone:
            lines.append(f'    subgraph {_id("g", group.name)}["group {group.name}"]')
            lines += [f"      {_cluster(fleet, name)}" for name in group.clusters
                      if name not in drawn]
            drawn.update(group.clusters)
            lines.append("    end")
    lines += [f"    {_cluster(fleet, c.name)}" for c in members if c.name not in drawn]
    return [*lines, "  end"]


def _cluster(fleet: Fleet, name: str) -> str:
    c = fleet.clusters[name]
    return (f'{_id("c", name)}["{name}<br/>{c.region} · k8s {c.kubernetes_version} · '
            f'wave {c.wave}"]')


def markdown(fleet: Fleet) -> str:
    rows = [f"| {', '.join(p.consumers)} on {p.source} | {p.target} | {p.dependency} | "
            f"{p.port if p.port is not None else 'any'} | "
            f"{'yes (entry ' + str(p.firewall) + ')' if p.covered else '**NO**'} |"
            for p in firewall_matrix(fleet)]
    table = ["| from | to | endpoint | port | firewall |", "|---|---|---|---|---|", *rows]
    if not rows:
        table = ["No cross-cluster dependencies."]
    return (f"## Fleet {fleet.name}\n\n```mermaid\n{mermaid(fleet)}```\n\n"
            "## Firewall matrix\n\n" + "\n".join(table) + "\n")


def csv_matrix(fleet: Fleet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["fleet", "source", "target", "endpoint", "port", "consumers", "covered",
                     "firewall_entry"])
    for p in firewall_matrix(fleet):
        writer.writerow([fleet.name, p.source, p.target, p.dependency,
                         "" if p.port is None else p.port, " ".join(p.consumers),
                         str(p.covered).lower(), "" if p.firewall is None else p.firewall])
    return out.getvalue()


def as_json(fleet: Fleet) -> str:
    data = {
        "fleet": fleet.name,
        "zones": {z.name: {"regulation": z.regulation,
                           "clusters": [c.name for c in fleet.clusters.values()
                                        if c.zone == z.name]} for z in fleet.zones.values()},
        "groups": {g.name: list(g.clusters) for g in fleet.groups.values()},
        "paths": [{**p._asdict(), "consumers": list(p.consumers), "covered": p.covered}
                  for p in firewall_matrix(fleet)],
    }
    return json.dumps(data, indent=2) + "\n"


FORMATS: dict[str, Callable[[Fleet], str]] = {
    "mermaid": mermaid, "markdown": markdown, "csv": csv_matrix, "json": as_json,
}
