"""End to end on copies of the example fleet at the repository root."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from policyrepo import lint_repo, positions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for folder in ("fleets", "templates", "charts", "crds", "clusters", "policies", "secrets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; the 1-based line where `new` starts."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return text[:text.index(old)].count("\n") + 1


def line_of(path: Path, needle: str) -> int:
    return path.read_text().splitlines().index(needle) + 1


def test_unmodified_example_lints_clean(repo: Path) -> None:
    assert lint_repo(repo, ()) == []


def test_accounts_in_the_us_breaks_residency(repo: Path) -> None:
    spec = repo / "fleets" / "acme.yaml"
    line = edit(spec, "placement: {clusters: [eu-west]}", "placement: {clusters: [us-east]}")
    found = [f for f in lint_repo(repo) if f.rule == "residency-placement"]
    assert positions(found) == [["residency-placement", "fleets/acme.yaml", line]]


def test_us_only_override_is_drift_at_the_override(repo: Path) -> None:
    spec = repo / "fleets" / "acme.yaml"
    anchor = '        version: "2.4.1"\n'
    line = edit(spec, anchor, anchor + "      overrides: {us-east: {replicas: 4}}\n") + 1
    found = [f for f in lint_repo(repo) if f.rule == "replica-drift"]
    assert positions(found) == [
        ["replica-drift", "clusters/us-east/storefront/deployment-storefront.yaml", 15]]
    values = dict(found[0].related)["values (override us-east)"]
    assert (values.path, values.line) == ("fleets/acme.yaml", line)


def test_missing_firewall_entry(repo: Path) -> None:
    spec = repo / "fleets" / "acme.yaml"
    edit(spec, "    - {from: [us-west, us-east], to: eu-west, ports: [443]}\n", "    []\n")
    dependency = line_of(spec, "      dependsOn: [{component: accounts}]")
    found = lint_repo(repo)
    assert positions(found) == [["firewall-missing", "fleets/acme.yaml", dependency]] * 2
    assert sorted(f.target for f in found) == ["us-east/storefront", "us-west/storefront"]


def test_plaintext_secret_in_a_template(repo: Path) -> None:
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: x\n"
    (repo / "templates" / "accounts" / "secret.yaml.j2").write_text(secret)
    found = lint_repo(repo, ("plaintext-secret",))
    assert [f.rule for f in found] == ["plaintext-secret"]
    template = dict(found[0].related)["template"]
    assert (template.path, template.line) == ("templates/accounts/secret.yaml.j2", 6)


def test_suppression_by_policy_id(repo: Path) -> None:
    spec = repo / "fleets" / "acme.yaml"
    edit(spec, "        replicas: 3\n", "        replicas: 1\n")
    assert {f.rule for f in lint_repo(repo)} == {"policy-performance-replicas"}
    edit(spec, "    crds: [crds/]\n", "    crds: [crds/]\n    ignore:\n      - {rule: policy-"
         "performance-replicas, target: 'us-*/storefront', reason: load test}\n")
    assert lint_repo(repo) == []


CEL = """apiVersion: mcgen.dev/v1alpha1
kind: Policy
metadata: {name: limits}
spec:
  match: {kinds: [Deployment, StatefulSet, DaemonSet]}
  validate:
    expression: "object.spec.template.spec.containers.all(c, has(c.resources.limits) &&
      has(c.resources.limits.memory)) && (!has(object.spec.replicas) || object.spec.replicas < 3)"
"""
VAP = """apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: limits}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: ["*"], operations: [CREATE], resources: ["*"]}
  variables:
    - {name: containers, expression: "object.spec.template.spec.containers"}
  validations:
    - expression: "variables.containers.all(c, has(c.resources.limits) &&
        has(c.resources.limits.memory)) && (!has(object.spec.replicas) || object.spec.replicas < 3)"
"""


def test_cel_policy_and_admission_policy_agree(repo: Path) -> None:
    (repo / "policies" / "extra.yaml").write_text(CEL)
    by_cel = {(f.location.path, f.location.line) for f in lint_repo(repo, ("policy",))
              if f.rule == "policy-limits"}
    (repo / "policies" / "extra.yaml").write_text(VAP)
    by_vap = {(f.location.path, f.location.line) for f in lint_repo(repo, ("policy",))
              if f.rule == "policy-limits"}
    assert by_cel == by_vap
    assert {p for p, _ in by_cel} == {
        f"clusters/{c}/storefront/deployment-storefront.yaml" for c in ("us-west", "us-east")}


@pytest.mark.parametrize("fmt", ["mermaid", "markdown", "csv", "json"])
def test_graph_marks_missing_firewall(repo: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
                                      ) -> None:
    monkeypatch.chdir(repo)
    spec = repo / "fleets" / "acme.yaml"
    edit(spec, "from: [us-west, us-east]", "from: [us-west]")
    result = subprocess.run([sys.executable, "-m", "mcgen", "graph", "--format", fmt],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    marker = {"mermaid": "NO FIREWALL", "markdown": "**NO**",
              "csv": "acme,us-east,eu-west,accounts,443,storefront,false,",
              "json": '"covered": false'}[fmt]
    assert marker in result.stdout
