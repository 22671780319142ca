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
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject
from mcgen.output.drift import drift_findings
from mcgen.output.fastcheck import unchanged
from mcgen.output.transaction import locked
from mcgen.output.tree import plan_tree

ID = "output-drift"
SEVERITY = Severity.ERROR


def check(subject: Subject) -> Iterator[Finding]:
    if subject.fleet is None or subject.tree is None:
        return
    fleet = subject.fleet
    if unchanged(fleet.root, os.path.join(fleet.root, fleet.spec_path)):
        return  # inputs and owned files exactly as after the last render or clean check
    # Under the lock, after recovery: never compare against a half-applied render.
    with locked(fleet.root, create=False):
        plan = plan_tree(fleet.root, fleet.name, fleet.spec_path, fleet.output.dir,
                         subject.tree)
    yield from (f for f in drift_findings(plan) if subject.in_shard(f.location.path))
