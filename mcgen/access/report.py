"""`mcgen access` output: the matrix (or one subject's view) as text, Markdown, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from mcgen.access.matrix import AccessQuery, Entry, FleetAccess, entries, matrix
from mcgen.access.policy import PolicyRule
from mcgen.access.subjects import Subject
from mcgen.lint.report.markdown import cell as md_cell
from mcgen.location import one_line

Formatter = Callable[[Sequence[FleetAccess], AccessQuery], str]


def _clusters(fleet: FleetAccess, query: AccessQuery) -> list[str]:
    return [c.name for c in fleet.clusters if not query.clusters or c.name in query.clusters]


def _rows(fleet: FleetAccess, query: AccessQuery) -> list[list[str]]:
    names = _clusters(fleet, query)
    table = matrix(entries([fleet], query))
    return [[str(subject), *(", ".join(row.get(name, [])) or "-" for name in names)]
            for subject, row in table.items()]


def _title(fleet: FleetAccess, query: AccessQuery) -> str:
    asked = [f"{label} {value}" for label, value in (
        ("verb", query.verb), ("resource", query.resource), ("namespace", query.namespace))
        if value]
    where = f" ({', '.join(asked)})" if asked else ""
    return (f"fleet {fleet.fleet}: who can do what{where}; a role is cluster-wide unless a "
            "namespace follows it")


def text(fleets: Sequence[FleetAccess], query: AccessQuery) -> str:
    if query.subject is not None:
        return _subject_text(fleets, query)
    parts = []
    for fleet in fleets:
        header = ["subject", *_clusters(fleet, query)]
        rows = _rows(fleet, query)
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                 for r in [header, *rows]]
        parts.append("\n".join([_title(fleet, query), "", *map(one_line, lines)]) + "\n")
        if not rows:
            parts.append("no grant matches\n")
    return "\n".join(parts)


def _subject_text(fleets: Sequence[FleetAccess], query: AccessQuery) -> str:
    assert query.subject is not None
    lines = [f"what {query.subject} can do"]
    for fleet in fleets:
        found = entries([fleet], query)
        for info in fleet.clusters:
            if query.clusters and info.name not in query.clusters:
                continue
            mine = [e for e in found if e.cluster.name == info.name]
            lines.append(f"  {info.name} (fleet {fleet.fleet}, zone {info.zone}, Kubernetes "
                         f"{info.version}){'' if mine else ': nothing'}")
            lines += [line for entry in mine for line in _grant_lines(entry, query.subject)]
    return "\n".join(one_line(line) for line in lines) + "\n"


def _grant_lines(entry: Entry, asked: Subject) -> list[str]:
    grant = entry.grant
    via = "" if grant.subject == asked else f" (as member of {grant.subject})"
    head = f"    {grant.where}: {grant.role}, bound by {grant.binding}{via}"
    rules = entry.rules or grant.rules
    return [head, *(f"      {rule}" for rule in rules)] if rules else [head, "      (no rules)"]


def markdown(fleets: Sequence[FleetAccess], query: AccessQuery) -> str:
    if query.subject is not None:
        return f"```\n{_subject_text(fleets, query)}```\n"
    parts = []
    for fleet in fleets:
        names = _clusters(fleet, query)
        lines = [f"**{md_cell(_title(fleet, query))}**", "",
                 "| subject | " + " | ".join(map(md_cell, names)) + " |",
                 "|---|" + "---|" * len(names)]
        lines += ["| " + " | ".join(md_cell(v) for v in row) + " |"
                  for row in _rows(fleet, query)]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


CSV_HEADER = ("fleet", "subject", "via", "cluster", "zone", "namespace", "role", "binding",
              "verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")


def as_csv(fleets: Sequence[FleetAccess], query: AccessQuery) -> str:
    """One row per rule of each grant; namespace `*` for a cluster-wide grant."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for entry in entries(fleets, query):
        grant = entry.grant
        subject = str(query.subject or grant.subject)
        for rule in entry.rules or grant.rules:
            writer.writerow([entry.fleet, subject, str(grant.subject), entry.cluster.name,
                             entry.cluster.zone, grant.scope or "*", str(grant.role),
                             str(grant.binding),
                             *(" ".join(v) for v in _rule_fields(rule, "core"))])
    return out.getvalue()


def _rule_fields(rule: PolicyRule, core: str = "") -> tuple[tuple[str, ...], ...]:
    return (rule.verbs, tuple(g or core for g in rule.api_groups), rule.resources,
            rule.resource_names, rule.non_resource_urls)


def as_json(fleets: Sequence[FleetAccess], query: AccessQuery) -> str:
    body = {"fleets": [_fleet_json(fleet, query) for fleet in fleets]}
    # One line: json's C encoder; `indent` would run its Python one, 5x slower on a fleet.
    return json.dumps(body) + "\n"


def _fleet_json(fleet: FleetAccess, query: AccessQuery) -> dict[str, object]:
    names = _clusters(fleet, query)
    return {
        "name": fleet.fleet,
        "clusters": [{"name": c.name, "zone": c.zone, "kubernetesVersion": c.version}
                     for c in fleet.clusters if c.name in names],
        "grants": [_entry_json(e, query) for e in entries([fleet], query)],
        "missingRoles": [{"cluster": name, "binding": str(m.binding), "role": str(m.role),
                          "reason": m.reason}
                         for name in names for m in fleet.access[name].missing],
    }


def _entry_json(entry: Entry, query: AccessQuery) -> dict[str, object]:
    grant = entry.grant
    return {
        "subject": str(query.subject or grant.subject), "via": str(grant.subject),
        "cluster": entry.cluster.name, "namespace": grant.scope or None,
        "role": {"kind": grant.role.kind, "name": grant.role.name,
                 "namespace": grant.role.namespace or None},
        "binding": {"kind": grant.binding.kind, "name": grant.binding.name,
                    "namespace": grant.binding.namespace or None},
        "rules": [dict(zip(("verbs", "apiGroups", "resources", "resourceNames",
                            "nonResourceURLs"), map(list, _rule_fields(rule)), strict=True))
                  for rule in entry.rules or grant.rules],
    }


FORMATS: dict[str, Formatter] = {"text": text, "markdown": markdown, "csv": as_csv,
                                 "json": as_json}
