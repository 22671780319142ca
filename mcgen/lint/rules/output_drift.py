"""output-drift: the committed tree differs from what the fleet renders.

mcgen's output is generated: every file mcgen writes ends with a stamp line naming its
fleet and the hash of the rest (`# mcgen: <fleet> sha256:...`; a file written verbatim has
it in a sidecar `.<name>.mcgen`). This rule compares the tree on disk with a fresh
in-memory render and reports

- a generated file that is missing, stale (the fleet or a template changed and nobody
  ran `mcgen render`), or no longer produced;
- a generated file that was edited by hand (its hash differs from its stamp): the next
  render would silently undo that edit, so change the fleet or the template instead;
- a generated file left with the markers of a conflicted git merge: `mcgen render`
  resolves it by rendering the merged fleet;
- a tree of which no generated file exists yet: one finding on the output folder ("the
  tree was never rendered"), not one per missing file.

Fix: run `mcgen render` and commit the result. `mcgen render --check` shows the diff.

Example finding:

    clusters/us-east/storefront/deployment-storefront.yaml:17:1: error: generated file was
    edited by hand; change the fleet or its templates instead [output-drift]
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.incremental import cluster_of
from mcgen.lint.subject import Subject
from mcgen.output.caches import trusted_files
from mcgen.output.drift import drift_findings
from mcgen.output.fastcheck import unchanged
from mcgen.output.layout import OutputFile
from mcgen.output.transaction import locked
from mcgen.output.tree import plan_tree
from mcgen.output.whole import plan_in_parts

ID = "output-drift"
SEVERITY = Severity.ERROR
UNCHANGED = "output-unchanged"


def tree_unchanged(subject: Subject) -> bool:
    """The no-op check's answer (`mcgen.output.noop`), asked once for all the parts of a
    lint in parts (`Subject.memo[UNCHANGED]`)."""
    assert subject.fleet is not None
    known = subject.memo.get(UNCHANGED)
    if isinstance(known, bool):
        return known
    return unchanged(subject.fleet.root, os.path.join(subject.fleet.root, subject.fleet.spec_path))


def check(subject: Subject) -> Iterator[Finding]:
    if subject.fleet is None or subject.tree is None:
        return
    fleet = subject.fleet
    if subject.remembered:
        yield from _clusters_linted(subject)
        return
    if tree_unchanged(subject):
        return  # inputs and owned files exactly as after the last render or clean check
    # Under the lock, after recovery: never compare against a half-applied render. Files
    # still as the last render left them are trusted as a render trusts them.
    with locked(fleet.root, create=False):
        whole = subject.shard is None or subject.rendered is None or not subject.rendered.outside
        # A shard's: its clusters' folders; the first shard's, the files beside them too.
        share = None if whole else subject.shard
        plan = plan_in_parts(fleet, subject.tree, trusted_files(fleet, share), share)
    yield from (f for f in drift_findings(plan) if subject.in_shard(f.location.path))


def _clusters_linted(subject: Subject) -> Iterator[Finding]:
    """An incremental lint's share: the folders of the clusters it renders, each
    compared on its own (the others' findings are remembered)."""
    fleet = subject.fleet
    assert fleet is not None and subject.tree is not None
    linted = sorted(cluster for cluster in fleet.clusters if cluster not in subject.remembered)
    files: dict[str | None, dict[str, OutputFile]] = {cluster: {} for cluster in linted}
    for path, planned in subject.tree.items():
        cluster = cluster_of(fleet, path)  # as lint/remembered.py assigns findings
        if cluster in files:
            files[cluster][path] = planned
    with locked(fleet.root, create=False):
        plans = [plan_tree(fleet.root, fleet.name, fleet.spec_path,
                           posixpath.join(posixpath.normpath(fleet.output.dir), cluster),
                           files[cluster])
                 for cluster in linted]
    for plan in plans:
        yield from drift_findings(plan)
