"""The example fleet's encrypted Secret: eu-west's key only, and never a US recipient."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import ROOT

from mcgen.fleet.load import load_fleet
from mcgen.lint.engine import LintRequest, lint
from mcgen.sops.metadata import read_metadata

SECRET = "secrets/eu-west/accounts-database.yaml"
RENDERED = "clusters/eu-west/accounts-credentials/accounts-database.yaml"
RULES = ("secret-recipients", "residency-secret", "plaintext-secret", "schema")


def _copy(tmp_path: Path) -> Path:
    for folder in ("fleets", "templates", "charts", "crds", "policies", "secrets", "clusters"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / ".sops.yaml", tmp_path / ".sops.yaml")
    return tmp_path


def test_the_example_secret_is_encrypted_to_eu_keys_only() -> None:
    fleet = load_fleet(str(ROOT / "fleets" / "acme.yaml"))
    body = yaml.safe_load((ROOT / SECRET).read_text())
    meta = read_metadata(body)
    assert meta is not None and meta.recipients
    holders = {c for r in meta.recipients for c in fleet.secrets.clusters_of(r)}
    assert holders == {"eu-west"}
    assert {fleet.clusters[c].zone for c in holders} == {"eu"}
    assert (ROOT / RENDERED).read_bytes() == (ROOT / SECRET).read_bytes()  # byte for byte
    assert "example-only" not in (ROOT / SECRET).read_text()  # no value in the clear


def test_the_rules_pass_the_example_and_catch_a_us_recipient(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    request = LintRequest(cwd=str(repo), select=RULES)
    assert lint(request).findings == ()
    fleet = load_fleet(str(repo / "fleets" / "acme.yaml"))
    us_key = fleet.secrets.recipients_of("us-east")[0].value
    path = repo / SECRET
    text = path.read_text()
    # Metadata only (the rules never decrypt): the data key also "sent" to us-east.
    text = text.replace("    lastmodified:", f"        - recipient: {us_key}\n"
                        "          enc: ZW5j\n    lastmodified:", 1)
    path.write_text(text)
    found = {(f.rule, f.location.path) for f in lint(request).findings}
    assert ("residency-secret", RENDERED) in found
