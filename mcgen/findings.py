"""A finding: what a rule reports, in one shape for every reporter."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from mcgen.location import Location, one_line


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


class Finding(NamedTuple):
    """One problem a rule found.

    `related` names the other places behind it: the template line and the fleet-spec
    line that produced a rendered object. `target` is what `spec.lint.ignore` matches
    (`<cluster>/<component>`, or a file path for plain manifests).
    """

    rule: str
    severity: Severity
    message: str
    location: Location
    related: tuple[tuple[str, Location], ...] = ()
    target: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {one_line(self.message)} [{self.rule}]"
        for label, where in self.related:
            text += f"\n    {label}: {where}"
        return text


def finding_order(finding: Finding) -> tuple[str, int, int, str, str, str, str, str]:
    """How reports order findings: by place, then rule, then the rest, so that the order
    never depends on which rule or process found a finding first."""
    where = finding.location
    return (where.path, where.line, where.col, finding.rule, finding.message,
            str(finding.severity), repr(finding.related), finding.target)
