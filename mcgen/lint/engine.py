"""`mcgen lint`: build the subjects (rendered fleets, plain manifests), run every rule."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mcgen.errors import UsageError
from mcgen.findings import Finding, Severity
from mcgen.fleet.discover import is_fleet_folder
from mcgen.fleet.model import Fleet
from mcgen.lint.manifests import manifest_subject
from mcgen.lint.registry import RULES
from mcgen.lint.spread import run_spread
from mcgen.lint.subject import LintObject, Subject
from mcgen.lint.suppress import apply_suppressions
from mcgen.output.layout import OutputFile
from mcgen.pipeline import discover_specs, load_fleets, render_trees
from mcgen.render.engine import RenderedFleet
from mcgen.shard import clusters_in_shard
from mcgen.suggest import did_you_mean

if TYPE_CHECKING:
    from mcgen.changes import ChangeSet

FLEET_MARKERS = ("kind: Fleet", "apiVersion: mcgen.dev/")


@dataclass(frozen=True)
class LintRequest:
    targets: tuple[str, ...] = ()
    cwd: str = "."
    kubernetes_version: str | None = None
    select: tuple[str, ...] = ()  # only these rules (default: all)
    disable: tuple[str, ...] = ()
    today: datetime.date = field(default_factory=datetime.date.today)
    now: datetime.datetime | None = None  # when the check runs (default: the clock)
    changes: ChangeSet | None = None  # a pull request's rendered change (`mcgen ci`)
    shard: tuple[int, int] | None = None  # (K, N): only this shard's clusters
    crds: tuple[str, ...] = ()  # more CRD files or folders (`--crd`), for every subject


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    objects: int
    rules: tuple[str, ...]

    @property
    def failed(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def is_fleet_spec(path: str) -> bool:
    """A fleet spec names its kind near the top; a manifest does not say `kind: Fleet`."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    return all(marker in head for marker in FLEET_MARKERS)


def _names_fleet(path: str) -> bool:
    """A fleet spec, or a folder of fleet fragments (`fleets/<fleet>/`)."""
    if os.path.isfile(path):
        return is_fleet_spec(path)
    return is_fleet_folder(path) and any(
        is_fleet_spec(os.path.join(path, name)) for name in sorted(os.listdir(path)))


def lint(request: LintRequest) -> LintResult:
    """Run every selected rule over every fleet and manifest named in the request."""
    rules = _selected(request)
    specs = [t for t in request.targets if _names_fleet(os.path.join(request.cwd, t))]
    paths = [t for t in request.targets if t not in specs]
    if request.targets:
        specs = discover_specs(tuple(specs), request.cwd) if specs else []
    else:
        specs = discover_specs((), request.cwd)
    subjects = [fleet_subject(fleet, rendered, tree, request.today, request.changes)
                for fleet, rendered, tree in render_trees(load_fleets(specs))]
    if request.now is not None:
        subjects = [replace(subject, now=request.now) for subject in subjects]
    if request.shard:
        subjects = [_sharded(subject, request.shard) for subject in subjects]
    if paths:
        subjects.append(manifest_subject(paths, request.kubernetes_version, request.today))
    if request.crds:
        subjects = [replace(subject, extra_crds=request.crds) for subject in subjects]
    findings = [f for subject in subjects for f in run_rules(subject, rules)]
    findings.sort(key=lambda f: (f.location.path, f.location.line, f.location.col, f.rule))
    return LintResult(tuple(findings), sum(len(s.objects) for s in subjects), rules)


def _selected(request: LintRequest) -> tuple[str, ...]:
    unknown = [r for r in (*request.select, *request.disable) if r not in RULES]
    if unknown:
        named = ", ".join(f"{r!r}{did_you_mean(r, RULES)}" for r in unknown)
        raise UsageError(f"unknown rule {named} (see `mcgen rules`)")
    chosen = request.select or tuple(RULES)
    return tuple(r for r in chosen if r not in request.disable)


def fleet_subject(fleet: Fleet, rendered: RenderedFleet, tree: dict[str, OutputFile],
                  today: datetime.date, changes: ChangeSet | None = None) -> Subject:
    """The objects of a rendered fleet, each at the file it is written to."""
    objects = tuple(
        LintObject(body=obj.body, ref=obj.ref, path=path, source=f, line=line,
                   kubernetes_version=fleet.clusters[obj.cluster].kubernetes_version,
                   cluster=obj.cluster, component=obj.component, rendered=obj)
        for path, f in tree.items() for obj, line in f.objects()
    )
    return Subject(objects, fleet, rendered, tree=tree, today=today, changes=changes)


def _sharded(subject: Subject, shard: tuple[int, int]) -> Subject:
    """The subject restricted to one shard's clusters (and its share of the tree)."""
    assert subject.fleet is not None
    keep = frozenset(clusters_in_shard(subject.fleet, shard))
    return replace(subject, objects=tuple(o for o in subject.objects if o.cluster in keep),
                   shard=(keep, shard[0] == 1), memo={}, _nodes={})


def run_rules(subject: Subject, rules: Iterable[str]) -> list[Finding]:
    """Every finding of `rules` on `subject`, after suppressions and severity settings
    (the rules spread over the cores: `mcgen.lint.spread`)."""
    return apply_suppressions(subject, run_spread(subject, tuple(rules), _rule_findings))


def _rule_findings(subject: Subject, rule_id: str) -> list[Finding]:
    return list(_configured(subject, RULES[rule_id].check(subject)))


def _configured(subject: Subject, findings: Iterator[Finding]) -> Iterator[Finding]:
    settings = subject.fleet.rule_severities if subject.fleet else {}
    for finding in findings:
        wanted = settings.get(finding.rule)
        if wanted == "off":
            continue
        yield finding._replace(severity=Severity(wanted)) if wanted else finding
