"""Access changes first in `mcgen diff` and in the `mcgen ci` summary (real git repos)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from workflows.gitfixture import commit_all, edit, new_repo, render

RBAC = "templates/web/rbac.yaml.j2"
BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: devs}]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = new_repo(tmp_path / "fleet")
    (path / RBAC).write_text(BINDING)
    render(path)
    commit_all(path, "devs may read web")
    edit(path, RBAC, "name: view}", "name: edit}")
    render(path)
    commit_all(path, "devs may edit web")
    return path


def test_diff_lists_grants_and_revocations_first(repo: Path) -> None:
    run = run_cli("diff", "--base", "HEAD~1", cwd=repo)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[1] == "access: 4 grants or revocations"
    assert lines[2].startswith("  + Group:devs on us-east, namespace web: ClusterRole edit via "
                               "RoleBinding web/devs: ")
    assert "create pods/eviction; create serviceaccounts/token" in lines[2]
    assert lines[3].startswith("  - Group:devs on us-east, namespace web: ClusterRole view via ")
    assert lines.index("wave 1:") > 5  # the object changes come after


def test_diff_json_carries_the_access_changes(repo: Path) -> None:
    run = run_cli("diff", "--base", "HEAD~1", "--format", "json", cwd=repo)
    access = json.loads(run.out)["access"]
    assert [(a["cluster"], a["kind"], a["role"]) for a in access] == [
        ("us-east", "granted", "ClusterRole edit"), ("us-east", "revoked", "ClusterRole view"),
        ("us-west", "granted", "ClusterRole edit"), ("us-west", "revoked", "ClusterRole view")]
    assert all(a["subject"] == "Group:devs" and a["namespace"] == "web" for a in access)


def test_ci_summary_puts_access_before_the_lint_report(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    run = run_cli("ci", "--base", "HEAD~1", "--summary", str(summary), cwd=repo)
    text = summary.read_text()
    assert "**Access changes**" in text, run.out + run.err
    # The verdict leads; access changes come before the other findings and the diff.
    assert text.index("mcgen lint") < text.index("**Access changes**")
    assert text.index("**Access changes**") < text.index("**Rendered change**")
    assert "| granted | Group:devs | us-east | namespace web | ClusterRole edit |" in text
    assert text.count("**Access changes**") == 1


def test_a_change_without_rbac_has_no_access_section(repo: Path) -> None:
    edit(repo, "fleets/fleet.yaml", "logLevel: info", "logLevel: debug")
    render(repo)
    commit_all(repo, "debug")
    run = run_cli("diff", "--base", "HEAD~1", cwd=repo)
    assert run.code == 0 and "access:" not in run.out
