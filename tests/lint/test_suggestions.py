"""Names a person typed that mcgen does not know get the nearest valid one."""

from __future__ import annotations

from pathlib import Path

import pytest
from policies.policyrepo import lint_repo, write_repo

from mcgen.errors import UsageError
from mcgen.lint.engine import LintRequest, lint
from mcgen.suggest import did_you_mean, nearest

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - {name: one, region: us-east-1, kubernetesVersion: "1.31"}
  components:
    - {name: app, template: app, namespace: app, placement: {clusters: [one]}}
  lint:
    ignore:
      - {rule: replica-drfit, target: "one/app", reason: "typo in the rule ID"}
"""

TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  annotations:
    mcgen.dev/ignore: "image-tagg: only published as latest"
"""


def test_nearest_and_did_you_mean() -> None:
    assert nearest("replica-drfit", ["replica-drift", "schema"]) == "replica-drift"
    assert nearest("zzz", ["replica-drift", "schema"]) is None
    assert did_you_mean("schem", ["schema"]) == " (did you mean 'schema'?)"
    assert did_you_mean("schema", ["schema"]) == ""


def test_suppressions_naming_unknown_rules_are_findings(tmp_path: Path) -> None:
    write_repo(tmp_path, FLEET, {"app": {"cm.yaml.j2": TEMPLATE}})
    found = [f for f in lint_repo(tmp_path) if f.rule == "suppression"]
    messages = sorted((f.location.path, f.location.line, f.message) for f in found)
    assert messages == [
        ("clusters/one/app/configmap-web.yaml", 10,
         "suppression names rule 'image-tagg', which does not exist (did you mean "
         "'image-tag'?): it silences nothing"),
        ("fleets/test.yaml", 13,
         "ignore entry on 'one/app' names rule 'replica-drfit', which does not exist "
         "(did you mean 'replica-drift'?): it silences nothing"),
    ]
    assert all(str(f.severity) == "error" for f in found)


def test_known_rules_and_policies_are_not_flagged(tmp_path: Path) -> None:
    fleet = FLEET.replace("replica-drfit", "policy-eu-storage").replace(
        "typo in the rule ID", "known")
    write_repo(tmp_path, fleet, {"app": {"cm.yaml.j2": TEMPLATE.replace("image-tagg",
                                                                        "image-tag")}})
    assert [f for f in lint_repo(tmp_path) if f.rule == "suppression"] == []


def test_unknown_selected_rule_suggests(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"unknown rule 'replica-drif' \(did you mean "
                                         r"'replica-drift'\?\)"):
        lint(LintRequest(targets=(str(tmp_path),), select=("replica-drif",)))


def test_a_misspelt_template_folder_suggests_the_nearest(tmp_path: Path) -> None:
    from mcgen.errors import InputError
    from mcgen.fleet.load import load_fleet

    spec = write_repo(tmp_path, FLEET.replace("template: app", "template: ap"),
                      {"app": {"cm.yaml.j2": TEMPLATE}})
    with pytest.raises(InputError) as raised:
        load_fleet(str(spec))
    assert [str(p) for p in raised.value.problems] == [
        "fleets/test.yaml:10:19: error: component 'app': no template folder templates/ap/ "
        "(did you mean 'app'?)"]
