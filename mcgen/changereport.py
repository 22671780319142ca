"""A ChangeSet for people: text for terminals, Markdown for PR comments, JSON for tools."""

from __future__ import annotations

import json

from mcgen.changes import ChangeSet, ObjectChange

SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def _waves(changes: ChangeSet) -> dict[int, list[str]]:
    by_wave: dict[int, list[str]] = {}
    for name in changes.touched():
        by_wave.setdefault(changes.clusters[name].wave, []).append(name)
    return dict(sorted(by_wave.items()))


def _line(change: ObjectChange) -> str:
    paths = f": {', '.join(change.paths[:6])}" if change.paths else ""
    more = f" (+{len(change.paths) - 6} more)" if len(change.paths) > 6 else ""
    return f"{SIGNS[change.kind]} {change.ref.api_version} {change.ref}{paths}{more}"


def headline(changes: ChangeSet) -> str:
    touched = changes.touched()
    return (f"{changes.base.sha[:8]} -> {changes.head.sha[:8]}: {len(changes.changes)} "
            f"object change{'s' * (len(changes.changes) != 1)} on {len(touched)} "
            f"cluster{'s' * (len(touched) != 1)}")


def text(changes: ChangeSet) -> str:
    lines = [headline(changes)]
    grouped = changes.by_cluster()
    for wave, clusters in _waves(changes).items():
        lines.append(f"wave {wave}:")
        for name in clusters:
            facts = changes.clusters[name]
            groups = f", groups {', '.join(facts.groups)}" if facts.groups else ""
            lines.append(f"  {name} (zone {facts.zone}{groups})")
            lines.extend(f"    {_line(c)}" for c in grouped[name])
    return "\n".join(lines) + "\n"


def mermaid(changes: ChangeSet) -> str:
    """Touched clusters in red, the others plain, grouped by zone."""
    touched = set(changes.touched())
    lines = ["flowchart LR"]
    zones: dict[str, list[str]] = {}
    for name, facts in changes.clusters.items():
        zones.setdefault(facts.zone, []).append(name)
    for zone, names in sorted(zones.items()):
        lines.append(f'  subgraph z_{zone.replace("-", "_")}["zone {zone}"]')
        for name in names:
            label = f"{name}<br/>wave {changes.clusters[name].wave}"
            lines.append(f'    {name.replace("-", "_")}["{label}"]')
        lines.append("  end")
    lines += [f"  style {name.replace('-', '_')} fill:#f96,stroke:#c00" for name in sorted(touched)]
    return "\n".join(lines)


def markdown(changes: ChangeSet) -> str:
    lines = [f"**Rendered change** {headline(changes)}", "",
             "| wave | clusters touched |", "|---:|---|"]
    lines += [f"| {wave} | {', '.join(names)} |" for wave, names in _waves(changes).items()]
    lines += ["", "```mermaid", mermaid(changes), "```", ""]
    for name, found in changes.by_cluster().items():
        lines += [f"<details><summary>{name}: {len(found)} change(s)</summary>", "", "```diff"]
        lines += [_line(c) for c in found]
        lines += ["```", "</details>", ""]
    return "\n".join(lines)


def as_json(changes: ChangeSet) -> str:
    body = {
        "base": changes.base.sha, "head": changes.head.sha,
        "clusters": {name: {"wave": f.wave, "zone": f.zone, "groups": list(f.groups)}
                     for name, f in changes.clusters.items()},
        "touched": changes.touched(),
        "changes": [{"fleet": c.fleet, "cluster": c.cluster, "kind": c.kind,
                     "apiVersion": c.ref.api_version, "objectKind": c.ref.kind,
                     "namespace": c.ref.namespace, "name": c.ref.name, "paths": list(c.paths)}
                    for c in changes.changes],
    }
    return json.dumps(body, indent=2) + "\n"


FORMATS = {"text": text, "markdown": markdown, "json": as_json}
