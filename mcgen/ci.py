"""`mcgen ci`: the pull-request gate in one run.

Lints the committed head (so output drift, schemas, residency... are judged on what
would land, whatever the work tree holds), renders base and head from git to get the
rendered change, and runs the blast-radius rule on it.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from dataclasses import dataclass

from mcgen import changereport, gitrepo
from mcgen.changes import ChangeSet, change_set
from mcgen.findings import Finding
from mcgen.fleet.discover import find_root
from mcgen.lint.engine import LintRequest, LintResult, lint
from mcgen.lint.report import markdown
from mcgen.prcomment import GITHUB_LIMIT, Section, comment
from mcgen.rollout.history import head_fleets, with_history
from mcgen.rollout.plan import FleetPlan, rollout_plans
from mcgen.rollout.report import plan_markdown


@dataclass(frozen=True)
class CiRequest:
    base: str
    head: str = "HEAD"
    cwd: str = "."
    now: datetime.datetime | None = None  # when the gate runs (freeze, soak); the clock


@dataclass(frozen=True)
class CiResult:
    changes: ChangeSet
    lint: LintResult
    notes: tuple[str, ...]
    plans: tuple[FleetPlan, ...] = ()  # the rollout plan of each fleet

    @property
    def failed(self) -> bool:
        return self.lint.failed


def run_ci(request: CiRequest) -> CiResult:
    repo = gitrepo.open_repo(request.cwd)
    top = gitrepo.top_level(repo)
    within = os.path.relpath(find_root(request.cwd), top)
    notes = [f"on {gitrepo.head_description(repo)}"]
    if gitrepo.is_dirty(repo):
        notes.append("the work tree has uncommitted changes: comparing committed states only")
    now = request.now or datetime.datetime.now(datetime.UTC)
    changes = with_history(change_set(top, request.base, request.head, within), top, now,
                           within)
    with tempfile.TemporaryDirectory(prefix="mcgen-ci-") as folder:
        everything = gitrepo.top_level_entries(repo, changes.head.sha)
        gitrepo.materialise(repo, changes.head.sha, folder, folders=everything)
        result = lint(LintRequest(cwd=os.path.join(folder, within), changes=changes,
                                  now=now))
    plans = rollout_plans(top, changes, head_fleets(top, changes.head.sha, within))
    return CiResult(changes, result, tuple(notes), tuple(plans))


COMPLIANCE = ("residency-", "secret-", "access-", "plaintext-secret")


def is_compliance(finding: Finding) -> bool:
    """Residency, secrets and access: what a compliance reviewer must see first."""
    return finding.rule.startswith(COMPLIANCE)


def summary_sections(result: CiResult) -> list[Section]:
    """The pull-request comment's sections, most important first."""
    findings = result.lint.findings
    compliance = [f for f in findings if is_compliance(f)]
    rest = [f for f in findings if not is_compliance(f)]
    head = ["## mcgen", "", markdown.verdict(result.lint), "",
            *(f"_{note}_" for note in result.notes), ""]
    sections = [Section("the verdict", "\n".join(head))]
    if compliance:
        sections.append(Section("compliance findings", "\n".join(
            ["### Compliance: residency, secrets, access", "", *markdown.tables(
                compliance, "####")])))
    access = changereport.access_markdown(result.changes)
    if access:
        sections.append(Section("access changes", access))
    if rest:
        sections.append(Section("other findings", "\n".join(
            ["### Other findings", "", *markdown.tables(rest, "####")])))
    sections.append(Section("the rollout plan", plan_markdown(list(result.plans))))
    sections.append(Section("the rendered change",
                            changereport.markdown(result.changes, access=False)))
    return sections


def summary(result: CiResult, limit: int = GITHUB_LIMIT, full: str = "") -> str:
    """The Markdown for the pull-request comment, within `limit` characters (pointing at
    `full`, the file with everything, when it had to be cut)."""
    return comment(summary_sections(result), limit, full)


def write(path: str | None, text: str) -> None:
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
