"""The access rules on copies of the example fleet: clean as shipped, and the pull
requests they exist to stop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from policyrepo import lint_repo, positions

ROOT = Path(__file__).resolve().parents[2]
SELECT = ("access-residency", "access-escalation", "access-drift", "access-role-missing",
          "cert-issuer-missing")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for folder in ("fleets", "templates", "charts", "crds", "clusters", "policies", "secrets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_example_grants_only_what_its_access_spec_allows(repo: Path) -> None:
    assert lint_repo(repo, SELECT) == []


def test_developers_reading_eu_personal_data_is_caught(repo: Path) -> None:
    edit(repo / "fleets/acme.yaml", "developerNamespaces: [ingress, monitoring]",
         "developerNamespaces: [ingress, monitoring, accounts]")
    found = lint_repo(repo, SELECT)
    assert positions(found) == [
        ["access-residency", "clusters/eu-west/platform-rbac/rolebinding-developers-view-3.yaml",
         19]]
    assert "can read workloads in namespace accounts on eu-west" in found[0].message


def test_handing_developers_edit_is_an_escalation_on_every_cluster(repo: Path) -> None:
    edit(repo / "templates/platform-rbac/bindings.yaml.j2", "  name: view\n", "  name: edit\n")
    found = lint_repo(repo, ("access-escalation",))
    assert len(found) == 4  # us-west, us-east, and eu-west's two RoleBindings
    assert all("impersonate on serviceaccounts" in f.message for f in found)


def test_an_issuer_the_eu_cluster_lacks(repo: Path) -> None:
    edit(repo / "fleets/acme.yaml", "placement: {groups: [us-web]}",
         "placement: {clusters: [us-west, us-east, eu-west]}")
    edit(repo / "fleets/acme.yaml", "      placement: {selector: {matchLabels: {}}}\n"
         "      values: {acmeEmail",
         "      placement: {groups: [us-web]}\n      values: {acmeEmail")
    found = lint_repo(repo, ("cert-issuer-missing",))
    assert positions(found) == [
        ["cert-issuer-missing", "clusters/eu-west/storefront/ingress-storefront.yaml", 10]]
