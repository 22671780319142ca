"""`mcgen lint`: build the subjects (rendered fleets, plain manifests), run every rule."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from mcgen.errors import InputError, UsageError
from mcgen.findings import Finding, Severity, finding_order
from mcgen.fleet.discover import is_fleet_folder
from mcgen.fleet.model import Fleet
from mcgen.lint.incremental import context_key
from mcgen.lint.manifests import manifest_subject
from mcgen.lint.parts import WHOLE, LintPart, PartLint, lint_in_parts, merged
from mcgen.lint.pending import Pending
from mcgen.lint.registry import RULES
from mcgen.lint.remembered import lint_fleet, part_memo
from mcgen.lint.rules import output_drift, rollout_order, secret_recipients
from mcgen.lint.spread import run_spread
from mcgen.lint.subject import LintObject, Subject
from mcgen.lint.suppress import apply_suppressions, unsuppressed
from mcgen.location import Problem
from mcgen.output.caches import judging, read_ahead
from mcgen.output.fastcheck import unchanged
from mcgen.output.layout import OutputFile, build_tree
from mcgen.output.subtrees import TreeJudge
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
    full: bool = False  # lint everything, reusing nothing the last lint found (`--full`)


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    objects: int
    rules: tuple[str, ...]
    remembered: int = 0  # clusters whose findings came from the last lint, not linted again
    pending: tuple[Pending, ...] = ()  # a shard's facts for `--merge` (`mcgen.lint.pending`)

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
    with judging(specs if _judged(request) else ()) as judges:  # as the fleets load
        fleets = load_fleets(specs)
        pending: tuple[Pending, ...] = ()
        if request.shard:
            findings, objects, pending = _shard(request, rules, fleets, request.shard)
            remembered = 0
        else:
            findings, objects, remembered = (_remembering(request, rules, fleets, judges)
                                             if _may_remember(request)
                                             else _whole(request, rules, fleets, judges))
    if paths:
        subject = _as_asked(request, manifest_subject(paths, request.kubernetes_version,
                                                      request.today))
        findings.extend(run_rules(subject, rules))
        objects += len(subject.objects)
    findings.sort(key=finding_order)
    return LintResult(tuple(findings), objects, rules, remembered, pending)


def _may_remember(request: LintRequest) -> bool:
    """A plain lint reuses what the last one found (`mcgen.lint.incremental`); a shard,
    a pull request's check, or `--full` lints everything."""
    return request.shard is None and request.changes is None and not request.full


def _judged(request: LintRequest) -> bool:
    """Whether the run asks the no-op check of whole trees: a plain lint, or `--full`
    (a shard and a pull request's check compare their own share)."""
    return request.shard is None and request.changes is None


def _whole(request: LintRequest, rules: tuple[str, ...], fleets: list[Fleet],
           judges: Mapping[str, TreeJudge]) -> tuple[list[Finding], int, int]:
    """Every cluster linted: a large fleet in parts over the cores (`_in_parts`), the
    rest whole; every render problem of every fleet reported together. `judges`: each
    fleet's tree judged since the run began, by spec path."""
    found: list[Finding] = []
    objects = 0
    rest = []
    for fleet in fleets:
        judge = judges.get(os.path.join(fleet.root, fleet.spec_path))
        parts = None if request.changes is not None else _in_parts(request, rules, fleet,
                                                                      judge)
        if parts is None:
            rest.append(fleet)
            continue
        done = merged(parts)
        found.extend(done.findings)
        objects += done.objects
    subjects = [_as_asked(request, fleet_subject(fleet, rendered, tree, request.today,
                                                 request.changes))
                for fleet, rendered, tree in render_trees(rest)] if rest else []
    return ([*found, *(f for subject in subjects for f in run_rules(subject, rules))],
            objects + sum(len(s.objects) for s in subjects), 0)


def _in_parts(request: LintRequest, rules: tuple[str, ...], fleet: Fleet,
              judge: TreeJudge | None = None, context: str | None = None
              ) -> list[PartLint] | None:
    """The fleet linted in parts (`mcgen.lint.parts`); with `context`, each part also
    says what an incremental lint keeps of its clusters; `judge`: the tree judged since
    the run began, which the no-op check need not judge again."""
    def linter() -> LintPart:  # a small fleet's rule asks the no-op check itself
        spec = os.path.join(fleet.root, fleet.spec_path)
        judged = judge.verdict() if judge is not None else None
        same = output_drift.ID in rules and unchanged(fleet.root, spec, judged)  # once
        read_ahead(fleet)  # what every part's render reads of the state folder, once
        return partial(_part, request, rules, fleet, same, context)

    return lint_in_parts(fleet, linter)


def _part(request: LintRequest, rules: tuple[str, ...], fleet: Fleet, same: bool,
          context: str | None, part: tuple[int, int], placed: bool) -> PartLint:
    """One part linted as a shard; `same`: the no-op check found the tree unchanged;
    `placed`: see `rollout_order.facts`."""
    try:
        [(_, rendered, tree)] = render_trees([fleet], part)
    except InputError:
        return WHOLE  # the whole render reports every problem
    if output_drift.ID in rules and _none_on_disk(fleet, tree):
        return WHOLE  # never rendered: one finding on it all
    subject = _sharded(_as_asked(request, fleet_subject(fleet, rendered, tree, request.today)),
                       part)
    subject.memo[output_drift.UNCHANGED] = same
    found = run_rules(subject, rules)
    return PartLint(found, len(subject.objects), _pending(subject, rules, part, placed),
                    part_memo(context, subject, rendered) if context is not None else {})


def _shard(request: LintRequest, rules: tuple[str, ...], fleets: list[Fleet],
           shard: tuple[int, int]) -> tuple[list[Finding], int, tuple[Pending, ...]]:
    """Shard K of N: its clusters rendered and linted, and the facts of the findings
    that need every shard's clusters (`mcgen.lint.pending`), for `--merge`."""
    subjects = [_sharded(_as_asked(request, fleet_subject(*rendered, request.today)), shard)
                for rendered in _shard_renders(fleets, shard, output_drift.ID in rules)]
    return ([f for subject in subjects for f in run_rules(subject, rules)],
            sum(len(s.objects) for s in subjects),
            tuple(_pending(subject, rules, shard) for subject in subjects))


def _shard_renders(fleets: list[Fleet], shard: tuple[int, int], drift: bool
                   ) -> list[tuple[Fleet, RenderedFleet, dict[str, OutputFile]]]:
    """Each fleet's shard rendered; the whole fleet where none of the shard's files exists
    yet: a tree never rendered is one output-drift finding on all of it, which only the
    whole tree can tell (its folder, the count of files missing)."""
    done = render_trees(fleets, shard)
    return [render_trees([fleet])[0] if drift and _none_on_disk(fleet, tree) else
            (fleet, rendered, tree) for fleet, rendered, tree in done]


def _none_on_disk(fleet: Fleet, tree: Mapping[str, OutputFile]) -> bool:
    """Whether none of a share's files exists (a share with no files tells nothing)."""
    return bool(tree) and not any(os.path.lexists(os.path.join(fleet.root, path))
                                  for path in tree)


def _pending(subject: Subject, rules: tuple[str, ...], shard: tuple[int, int],
             placed: bool = True) -> Pending:
    """The shard's facts, each finding in them settled as `run_rules` settles findings
    (severity settings, suppressions); `placed`: see `rollout_order.facts`."""
    assert subject.fleet is not None
    running = rollout_order.facts(subject, placed) if rollout_order.ID in rules else []
    counted = secret_recipients.counted(subject) if secret_recipients.ID in rules else []
    settled = _settled(subject, [*(r.finding for r in running if r.finding),
                                 *(c.finding for c in counted)])
    return Pending(
        subject.fleet.name, shard,
        tuple(r._replace(finding=settled.get(r.finding) if r.finding else None)
              for r in running),
        tuple(c._replace(finding=settled[c.finding]) for c in counted
              if settled.get(c.finding)))


def _settled(subject: Subject, findings: list[Finding]) -> dict[Finding, Finding]:
    """Each finding a report keeps, as it keeps it (its severity as the fleet sets it)."""
    configured = {f: c for f in findings for c in _configured(subject, iter((f,)))}
    kept = set(unsuppressed(subject, configured.values()))
    return {f: c for f, c in configured.items() if c in kept}


def _remembering(request: LintRequest, rules: tuple[str, ...], fleets: list[Fleet],
                 judges: Mapping[str, TreeJudge]) -> tuple[list[Finding], int, int]:
    """Each fleet linted where the last lint cannot answer; every problem reported.
    `judges`: each fleet's tree judged since the run began, by spec path."""
    options = repr((rules, request.kubernetes_version, request.today.isoformat(),
                    request.now and request.now.isoformat()))
    findings: list[Finding] = []
    objects = remembered = 0
    problems: list[Problem] = []
    for fleet in fleets:
        try:
            context = context_key(fleet, options, request.crds)
            done = lint_fleet(fleet, context, partial(_rendered_subject, request, fleet),
                              partial(run_rules, rules=rules),
                              partial(_in_parts, request, rules, context=context),
                              judges.get(os.path.join(fleet.root, fleet.spec_path)))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        findings.extend(done.findings)
        objects += done.objects
        remembered += len(fleet.clusters) - len(done.linted)
    if problems:
        raise InputError(problems)
    return findings, objects, remembered


def _rendered_subject(request: LintRequest, fleet: Fleet, rendered: RenderedFleet) -> Subject:
    subject = fleet_subject(fleet, rendered, build_tree(rendered), request.today)
    return _as_asked(request, subject)


def _as_asked(request: LintRequest, subject: Subject) -> Subject:
    """The subject with the request's clock and extra CRDs."""
    if request.now is not None:
        subject = replace(subject, now=request.now)
    return replace(subject, extra_crds=request.crds) if request.crds else subject


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
    """The subject of one shard: its clusters' objects, and its share of the tree."""
    assert subject.fleet is not None
    keep = frozenset(clusters_in_shard(subject.fleet, shard))
    return replace(subject, objects=tuple(o for o in subject.objects if o.cluster in keep),
                   shard=(keep, shard[0] == 1))


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
