"""A ChangeSet for people: text for terminals, Markdown for PR comments, JSON for tools."""

from __future__ import annotations

import json

from mcgen.access.changes import AccessChange
from mcgen.changes import ChangeSet, ObjectChange
from mcgen.lint.report.markdown import cell

SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def _waves(changes: ChangeSet) -> dict[int, list[str]]:
    by_wave: dict[int, list[str]] = {}
    for name in changes.touched():
        by_wave.setdefault(changes.clusters[name].wave, []).append(name)
    return dict(sorted(by_wave.items()))


PATHS_SHOWN = 12  # changed paths listed per object before "(+N more)"


def _lines(change: ObjectChange, indent: str = "") -> list[str]:
    """The object, then each changed path with its old and new value, one a line."""
    lines = [f"{indent}{SIGNS[change.kind]} {change.ref.api_version} {change.ref}"]
    shown = change.shown or change.paths
    lines += [f"{indent}    {path}" for path in shown[:PATHS_SHOWN]]
    if len(shown) > PATHS_SHOWN:
        lines.append(f"{indent}    (+{len(shown) - PATHS_SHOWN} more paths)")
    return lines


def headline(changes: ChangeSet) -> str:
    touched = changes.touched()
    return (f"{changes.base.sha[:8]} -> {changes.head.sha[:8]}: {len(changes.changes)} "
            f"object change{'s' * (len(changes.changes) != 1)} on {len(touched)} "
            f"cluster{'s' * (len(touched) != 1)}")


ACCESS_SIGNS = {"granted": "+", "revoked": "-"}


def _access_line(change: AccessChange) -> str:
    rules = f": {'; '.join(change.rules[:4])}" if change.rules else ""
    more = f" (+{len(change.rules) - 4} more)" if len(change.rules) > 4 else ""
    return (f"{ACCESS_SIGNS[change.kind]} {change.subject} on {change.cluster}, "
            f"{change.where}: {change.role} via {change.binding}{rules}{more}")


def access_text(changes: ChangeSet) -> list[str]:
    """Access granted (+) and revoked (-), per subject and cluster: first, as it matters
    most to a reviewer."""
    if not changes.access:
        return []
    count = len(changes.access)
    return [f"access: {count} grant{'s' * (count != 1)} or revocation"
            f"{'s' * (count != 1)}", *(f"  {_access_line(c)}" for c in changes.access)]


def access_markdown(changes: ChangeSet) -> str:
    """The access changes as a table for a pull-request comment ('' when none)."""
    if not changes.access:
        return ""
    lines = ["**Access changes** (who gains or loses what, per cluster)", "",
             "| change | subject | cluster | where | role | binding | rules |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {c.kind} | {cell(str(c.subject))} | "
              f"{cell(c.cluster)} | {cell(c.where)} | {cell(c.role)} | {cell(c.binding)} | "
              f"{'<br>'.join(cell(r) for r in c.rules)} |" for c in changes.access]
    return "\n".join(lines) + "\n"


def text(changes: ChangeSet) -> str:
    lines = [headline(changes), *access_text(changes)]
    grouped = changes.by_cluster()
    for wave, clusters in _waves(changes).items():
        lines.append(f"wave {wave}:")
        for name in clusters:
            facts = changes.clusters[name]
            groups = f", groups {', '.join(facts.groups)}" if facts.groups else ""
            lines.append(f"  {name} (zone {facts.zone}{groups})")
            for change in grouped[name]:
                lines.extend(_lines(change, "    "))
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


def markdown(changes: ChangeSet, access: bool = True) -> str:
    lines = [f"**Rendered change** {headline(changes)}", ""]
    if access and changes.access:
        lines += [access_markdown(changes)]
    lines += ["| wave | clusters touched |", "|---:|---|"]
    lines += [f"| {wave} | {', '.join(names)} |" for wave, names in _waves(changes).items()]
    lines += ["", "```mermaid", mermaid(changes), "```", ""]
    for name, found in changes.by_cluster().items():
        lines += [f"<details><summary>{name}: {len(found)} change(s)</summary>", "", "```diff"]
        lines += [line for change in found for line in _lines(change)]
        lines += ["```", "</details>", ""]
    return "\n".join(lines)


def as_json(changes: ChangeSet) -> str:
    body = {
        "base": changes.base.sha, "head": changes.head.sha,
        "clusters": {name: {"wave": f.wave, "zone": f.zone, "groups": list(f.groups)}
                     for name, f in changes.clusters.items()},
        "touched": changes.touched(),
        "access": [{"fleet": c.fleet, "cluster": c.cluster, "subject": str(c.subject),
                    "kind": c.kind, "namespace": c.scope or None, "role": c.role,
                    "binding": c.binding, "rules": list(c.rules)} for c in changes.access],
        "changes": [{"fleet": c.fleet, "cluster": c.cluster, "kind": c.kind,
                     "apiVersion": c.ref.api_version, "objectKind": c.ref.kind,
                     "namespace": c.ref.namespace, "name": c.ref.name, "paths": list(c.paths),
                     "values": list(c.shown)}
                    for c in changes.changes],
    }
    return json.dumps(body, indent=2) + "\n"


FORMATS = {"text": text, "markdown": markdown, "json": as_json}
