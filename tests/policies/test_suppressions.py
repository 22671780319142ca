"""Suppressions, pinned (issue #16): what silences a finding, and exactly what does not.

Mutation testing showed the `mcgen.dev/ignore` annotation could be switched off, or made
to hide other rules' findings, unnoticed, and that `spec.lint.ignore`'s expiry day was
untested. Each case here lints one small fleet with a known finding and asserts the
whole set of findings.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from policyrepo import TODAY, write_repo

from mcgen.findings import Severity
from mcgen.lint.engine import LintRequest, lint

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - {name: a, region: us-east-1, kubernetesVersion: "1.31"}
  components:
    - {name: app, template: app, namespace: app, placement: {clusters: [a]}}
"""
OBJECT = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations: {ANNOTATION}
spec:
  containers:
    - name: web
      image: nginx
      resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {memory: 1Mi}}
"""
IGNORE = """\
  lint:
    ignore:
      - {rule: image-tag, target: "a/app", reason: vendor image, EXPIRES}
"""


def findings(tmp_path: Path, annotation: str = "{}", ignore: str = "",
             today: datetime.date = TODAY) -> list[tuple[str, Severity]]:
    template = OBJECT.replace("{ANNOTATION}", annotation)
    write_repo(tmp_path, FLEET + ignore, {"app": {"pod.yaml.j2": template}})
    result = lint(LintRequest(targets=(str(tmp_path / "fleets/test.yaml"),), cwd=str(tmp_path),
                              disable=("output-drift",), today=today))
    return sorted((f.rule, f.severity) for f in result.findings)


def only(found: list[tuple[str, Severity]], rule: str) -> list[tuple[str, Severity]]:
    return [f for f in found if f[0] == rule]


def test_without_a_suppression_the_finding_is_there(tmp_path: Path) -> None:
    assert only(findings(tmp_path), "image-tag") == [("image-tag", Severity.ERROR)]


def test_the_annotation_silences_its_rule_and_only_it(tmp_path: Path) -> None:
    base = findings(tmp_path / "base")
    found = findings(tmp_path / "x", '{mcgen.dev/ignore: "image-tag: vendor image"}')
    assert only(found, "image-tag") == []
    assert [f for f in found if f[0] != "image-tag"] == [f for f in base if f[0] != "image-tag"]


def test_an_annotation_for_another_rule_silences_nothing(tmp_path: Path) -> None:
    found = findings(tmp_path, '{mcgen.dev/ignore: "privileged-container: agent"}')
    assert only(found, "image-tag") == [("image-tag", Severity.ERROR)]
    assert only(found, "suppression") == []


def test_several_entries_each_count(tmp_path: Path) -> None:
    found = findings(tmp_path, '{mcgen.dev/ignore: "privileged-container: x; image-tag: y"}')
    assert only(found, "image-tag") == []


def test_an_annotation_without_a_reason_silences_nothing_and_is_a_finding(tmp_path: Path
                                                                          ) -> None:
    found = findings(tmp_path, '{mcgen.dev/ignore: "image-tag"}')
    assert only(found, "image-tag") == [("image-tag", Severity.ERROR)]
    assert only(found, "suppression") == [("suppression", Severity.ERROR)]


def test_an_annotation_on_another_object_silences_nothing(tmp_path: Path) -> None:
    other = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  annotations: "
             '{mcgen.dev/ignore: "image-tag: not this one"}\n')
    write_repo(tmp_path, FLEET, {"app": {"pod.yaml.j2": OBJECT.replace("{ANNOTATION}", "{}"),
                                         "other.yaml.j2": other}})
    result = lint(LintRequest(targets=(str(tmp_path / "fleets/test.yaml"),), cwd=str(tmp_path),
                              disable=("output-drift",), today=TODAY))
    assert [f.rule for f in result.findings if f.rule == "image-tag"] == ["image-tag"]


@pytest.mark.parametrize(("expires", "silenced"), [
    (None, True),
    (TODAY + datetime.timedelta(days=1), True),
    (TODAY, True),  # on its day it still applies
    (TODAY - datetime.timedelta(days=1), False),  # the day after, the finding is back
])
def test_spec_lint_ignore_applies_until_its_expiry_day(tmp_path: Path,
                                                       expires: datetime.date | None,
                                                       silenced: bool) -> None:
    entry = IGNORE.replace(", EXPIRES", f", expires: {expires.isoformat()}" if expires else "")
    found = findings(tmp_path, ignore=entry)
    assert (only(found, "image-tag") == []) is silenced, found


def test_an_ignore_entry_targets_only_its_clusters(tmp_path: Path) -> None:
    entry = IGNORE.replace('"a/app"', '"b/*"').replace(", EXPIRES", "")
    assert only(findings(tmp_path, ignore=entry), "image-tag") == [
        ("image-tag", Severity.ERROR)]


def test_an_ignore_entry_for_another_rule_silences_nothing(tmp_path: Path) -> None:
    entry = IGNORE.replace("rule: image-tag", "rule: resource-limits").replace(", EXPIRES", "")
    assert only(findings(tmp_path, ignore=entry), "image-tag") == [
        ("image-tag", Severity.ERROR)]


def test_an_ignore_entry_without_a_reason_is_a_finding(tmp_path: Path) -> None:
    entry = IGNORE.replace("reason: vendor image, EXPIRES", 'reason: ""')
    found = findings(tmp_path, ignore=entry)
    assert only(found, "image-tag") == [("image-tag", Severity.ERROR)]
    assert only(found, "suppression") == [("suppression", Severity.ERROR)]


