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




def plain(tmp_path: Path, *documents: str, rule: str = "image-tag") -> list[tuple[str, int]]:
    """`mcgen lint FILE` on one file of several documents: the rule's findings by line."""
    target = tmp_path / "pods.yaml"
    target.write_text("---\n".join(documents))
    result = lint(LintRequest(targets=(str(target),), cwd=str(tmp_path), select=(rule,),
                              kubernetes_version="1.31", today=TODAY))
    return [(f.rule, f.location.line) for f in result.findings]


def pod(name: str, annotation: str = "{}") -> str:
    return OBJECT.replace("name: web\n", f"name: {name}\n", 1).replace("{ANNOTATION}",
                                                                        annotation)


def test_in_plain_manifests_a_finding_without_an_annotation_is_there(tmp_path: Path) -> None:
    assert plain(tmp_path, pod("one")) == [("image-tag", 9)]


def test_an_annotation_silences_its_own_document_only(tmp_path: Path) -> None:
    """Three Pods in one file (10 lines each, then `---`), the middle one annotated: the
    findings on the first and last lines of its neighbours stay."""
    ignore = '{mcgen.dev/ignore: "image-tag: vendor image"}'
    assert plain(tmp_path, pod("one"), pod("two", ignore), pod("three")) == [
        ("image-tag", 9), ("image-tag", 31)]
    # the annotated Pod's own finding is on its line 9 (file line 20): silenced
    assert plain(tmp_path, pod("one"), pod("two", ignore)) == [("image-tag", 9)]


def test_an_annotation_reaches_no_line_of_the_next_document(tmp_path: Path) -> None:
    """deprecated-api points at the first line of each document (`apiVersion`)."""
    def budget(name: str, annotation: str = "{}") -> str:
        return (f"apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n"
                f"  name: {name}\n  annotations: {annotation}\nspec: {{minAvailable: 1}}\n")

    ignore = '{mcgen.dev/ignore: "deprecated-api: migrating next sprint"}'
    assert plain(tmp_path, budget("one", ignore), budget("two"), rule="deprecated-api") == [
        ("deprecated-api", 8)]
    assert plain(tmp_path, budget("one"), budget("two", ignore), rule="deprecated-api") == [
        ("deprecated-api", 1)]


def test_a_custom_policys_id_is_known_and_policy_slash_is_not(tmp_path: Path) -> None:
    """Custom policies' findings are `policy-<name>`: a suppression naming one is accepted
    (whether that policy exists is not known here), while `policy/<name>`, which no
    finding carries, silences nothing and says so."""
    assert only(findings(tmp_path / "dash", '{mcgen.dev/ignore: "policy-eu-storage: x"}'),
                "suppression") == []
    target = tmp_path / "slash"
    findings(target, '{mcgen.dev/ignore: "policy/eu-storage: x"}')
    result = lint(LintRequest(targets=(str(target / "fleets/test.yaml"),), cwd=str(target),
                              disable=("output-drift",), today=TODAY))
    assert [f.message for f in result.findings if f.rule == "suppression"] == [
        "suppression names rule 'policy/eu-storage', which does not exist: it silences "
        "nothing"]


def suppression_findings(tmp_path: Path, annotation: str = "{}", ignore: str = "",
                         today: datetime.date = TODAY) -> list[str]:
    template = OBJECT.replace("{ANNOTATION}", annotation)
    write_repo(tmp_path, FLEET + ignore, {"app": {"pod.yaml.j2": template}})
    result = lint(LintRequest(targets=(str(tmp_path / "fleets/test.yaml"),), cwd=str(tmp_path),
                              disable=("output-drift",), today=today))
    return [f"{f.location.path}:{f.location.line}: {f.message}" for f in result.findings
            if f.rule == "suppression"]


def test_entries_on_separate_lines_each_count(tmp_path: Path) -> None:
    annotation = '{mcgen.dev/ignore: "resource-limits: sized by the vendor\\nimage-tag: y"}'
    found = findings(tmp_path, annotation)
    assert only(found, "image-tag") == [] and only(found, "suppression") == []


def test_an_annotation_without_a_reason_is_reported_at_the_annotation(tmp_path: Path
                                                                      ) -> None:
    """The rendered Pod: 3 header lines, apiVersion, kind, metadata, name, namespace,
    annotations, and on line 10 the entry."""
    assert suppression_findings(tmp_path, '{mcgen.dev/ignore: "image-tag"}') == [
        "clusters/a/app/pod-web.yaml:10: suppression of 'image-tag' has no reason; write "
        "'image-tag: <why this is acceptable>'"]


def test_an_expired_entry_is_reported_from_the_day_after_its_expiry(tmp_path: Path) -> None:
    entry = IGNORE.replace(", EXPIRES", f", expires: {TODAY.isoformat()}")
    assert suppression_findings(tmp_path / "on", ignore=entry) == []
    after = TODAY + datetime.timedelta(days=1)
    assert suppression_findings(tmp_path / "after", ignore=entry, today=after) == [
        f"fleets/test.yaml:13: ignore entry for 'image-tag' on 'a/app' expired on "
        f"{TODAY.isoformat()}; fix the finding or renew the entry with a reason"]
