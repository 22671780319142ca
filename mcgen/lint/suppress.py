"""suppression: suppressions must say why, and may expire.

Two ways to silence a finding:

- the annotation `mcgen.dev/ignore: "<rule-id>: <reason>"` on an object (several
  entries may be separated by `;` or new lines);
- an entry in the fleet's `spec.lint.ignore`: `{rule, target, reason, expires}` where
  `target` is `<cluster>/<component>` (shell-style wildcards allowed, e.g. `us-*/storefront`)
  or a file path, and `expires` an optional ISO date after which it no longer applies.

A suppression without a reason is itself a finding, and so is one past its expiry date
(the finding it suppressed comes back too), so silenced problems cannot be forgotten. So is
one naming a rule that does not exist (a typo would silence nothing): the finding names the
nearest rule ID.

Example:

    metadata:
      annotations:
        mcgen.dev/ignore: "image-tag: vendor image only published as latest"
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import LintObject, Subject
from mcgen.suggest import did_you_mean

ID = "suppression"
SEVERITY = Severity.ERROR
ANNOTATION = "mcgen.dev/ignore"


class Annotated(NamedTuple):
    rule: str
    reason: str


def parse_annotation(value: object) -> list[Annotated]:
    entries = []
    for part in str(value).replace("\n", ";").split(";"):
        rule, _, reason = part.partition(":")
        if rule.strip():
            entries.append(Annotated(rule.strip(), reason.strip()))
    return entries


def apply_suppressions(subject: Subject, findings: Iterable[Finding]) -> list[Finding]:
    """Drop suppressed findings; add findings for suppressions that are not acceptable."""
    listed = _annotated(subject.objects)
    return unsuppressed(subject, findings, listed) + list(_bad_suppressions(subject, listed))


def unsuppressed(subject: Subject, findings: Iterable[Finding],
                 listed: list[tuple[LintObject, list[Annotated]]] | None = None
                 ) -> list[Finding]:
    """The findings no suppression silences (`listed`: the subject's `_annotated`)."""
    starts: dict[str, list[int]] = {}
    for obj in subject.objects:
        starts.setdefault(obj.path, []).append(obj.line)
    annotated: Annotations = {}
    for obj, entries in _annotated(subject.objects) if listed is None else listed:
        annotated.setdefault(obj.path, []).append((obj, _end(obj, starts[obj.path]),
                                                   entries))
    return [f for f in findings if not _suppressed(subject, annotated, f)]


# file -> (annotated object, where the next document starts, its entries)
Annotations = dict[str, list[tuple[LintObject, float, list[Annotated]]]]


def _annotated(objects: Iterable[LintObject]) -> list[tuple[LintObject, list[Annotated]]]:
    """The objects with a suppression annotation, in order, with its entries."""
    found = []
    for obj in objects:
        value = obj.annotations.get(ANNOTATION)
        if value is not None:
            found.append((obj, parse_annotation(value)))
    return found


def _suppressed(subject: Subject, annotated: Annotations, finding: Finding) -> bool:
    for obj, end, entries in annotated.get(finding.location.path, ()):
        if _inside(obj, end, finding) and any(e.rule == finding.rule and e.reason
                                               for e in entries):
            return True
    fleet = subject.fleet
    if fleet is None:
        return False
    return any(
        entry.rule == finding.rule and entry.reason
        and (entry.expires is None or entry.expires >= subject.today)
        and fnmatch.fnmatchcase(finding.target, entry.target)
        for entry in fleet.ignores
    )


def _inside(obj: LintObject, end: float, finding: Finding) -> bool:
    """Is the finding on the object's lines, up to `end` (or on its whole file)?"""
    return obj.line <= finding.location.line < end or finding.location.line == 0


def _end(obj: LintObject, starts: list[int]) -> float:
    """Where the next document of the file starts (the object's lines end before it)."""
    return min((line for line in starts if line > obj.line), default=math.inf)


def _bad_suppressions(subject: Subject, listed: list[tuple[LintObject, list[Annotated]]]
                      ) -> Iterator[Finding]:
    import mcgen.lint.suppress as rule

    for obj, entries in listed:
        for annotated in entries:
            unknown = _unknown_rule(annotated.rule)
            if unknown:
                yield subject.finding(rule, obj, f"suppression {unknown}",
                                      ("metadata", "annotations", ANNOTATION), Severity.ERROR)
            elif not annotated.reason:
                yield subject.finding(
                    rule, obj, f"suppression of {annotated.rule!r} has no reason; write "
                    f"'{annotated.rule}: <why this is acceptable>'",
                    ("metadata", "annotations", ANNOTATION), Severity.ERROR)
    fleet = subject.fleet
    if fleet is None:
        return
    for entry in fleet.ignores:
        where = fleet.where("spec", "lint", "ignore", entry.index)
        unknown = _unknown_rule(entry.rule)
        if unknown:
            yield subject.fleet_finding(rule, f"ignore entry on {entry.target!r} {unknown}",
                                        where, entry.target, Severity.ERROR)
        elif not entry.reason:
            yield subject.fleet_finding(
                rule, f"ignore entry for {entry.rule!r} on {entry.target!r} has no reason",
                where, entry.target, Severity.ERROR)
        elif entry.expires is not None and entry.expires < subject.today:
            yield subject.fleet_finding(
                rule, f"ignore entry for {entry.rule!r} on {entry.target!r} expired on "
                f"{entry.expires.isoformat()}; fix the finding or renew the entry with a reason",
                where, entry.target, Severity.ERROR)


POLICY_PREFIX = "policy-"  # custom policies' findings (see `policy`); never `policy/`


def _unknown_rule(rule_id: str) -> str:
    """Why `rule_id` suppresses nothing, or "" when it names a rule."""
    from mcgen.lint.registry import ENGINE_RULES, RULES

    if rule_id in RULES or rule_id in ENGINE_RULES or rule_id.startswith(POLICY_PREFIX):
        return ""
    near = did_you_mean(rule_id, [*RULES, *ENGINE_RULES])
    return f"names rule {rule_id!r}, which does not exist{near}: it silences nothing"
