"""The generated .sops.yaml, used by the real sops with real age keys made here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from mcgen.secrets.config import sops_config
from mcgen.secrets.updatekeys import key_states, update_all
from mcgen.sops.metadata import read_metadata

from .sopsrepo import SECRET, age_key, need_sops, plain_file, sops, sops_env, write_repo

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _sops() -> None:
    need_sops()


def test_a_cluster_file_decrypts_with_its_clusters_key_only(tmp_path: Path) -> None:
    eu, us = age_key(), age_key()
    fleet = write_repo(tmp_path, eu.public, us.public)
    sops_config([fleet], check=False)
    plain_file(tmp_path, "clusters/eu-west/manual/db.yaml")

    encrypted = sops(tmp_path, "--encrypt", "--in-place", "clusters/eu-west/manual/db.yaml")
    assert encrypted.ok, encrypted.stderr
    body = yaml.safe_load((tmp_path / "clusters/eu-west/manual/db.yaml").read_text())
    meta = read_metadata(body)
    assert meta is not None and [r.value for r in meta.recipients] == [eu.public]
    assert body["stringData"]["password"].startswith("ENC[AES256_GCM,data:")
    assert body["metadata"]["name"] == "db"  # encrypted_regex keeps metadata readable

    mine = sops(tmp_path, "--decrypt", "clusters/eu-west/manual/db.yaml", key=eu)
    assert mine.ok, mine.stderr
    assert yaml.safe_load(mine.stdout) == yaml.safe_load(SECRET)
    theirs = sops(tmp_path, "--decrypt", "clusters/eu-west/manual/db.yaml", key=us)
    assert not theirs.ok
    assert "no master key was able to decrypt" in theirs.stderr.replace("\n", " ")


def test_the_users_own_rules_are_kept_and_still_apply(tmp_path: Path) -> None:
    eu, us, docs = age_key(), age_key(), age_key()
    fleet = write_repo(tmp_path, eu.public, us.public)
    own = (f"creation_rules:\n  # the docs team's key\n  - path_regex: ^docs/\n"
           f"    age: {docs.public}\n")
    (tmp_path / ".sops.yaml").write_text(own)
    sops_config([fleet], check=False)
    text = (tmp_path / ".sops.yaml").read_text()
    assert text.endswith(own.split("\n", 1)[1])  # the user's rule, byte for byte, after ours

    plain_file(tmp_path, "docs/token.yaml", "token: abc\n")
    assert sops(tmp_path, "--encrypt", "--in-place", "docs/token.yaml").ok
    assert sops(tmp_path, "--decrypt", "docs/token.yaml", key=docs).ok
    assert not sops(tmp_path, "--decrypt", "docs/token.yaml", key=eu).ok


def test_a_recipient_change_is_caught_for_every_affected_file_and_rekeyed(
        tmp_path: Path) -> None:
    eu, us, rotated = age_key(), age_key(), age_key()
    fleet = write_repo(tmp_path, eu.public, us.public)
    sops_config([fleet], check=False)
    paths = ["clusters/eu-west/a/one.yaml", "clusters/eu-west/b/two.yaml",
             "clusters/us-east/a/three.yaml"]
    for path in paths:
        plain_file(tmp_path, path)
        assert sops(tmp_path, "--encrypt", "--in-place", path).ok
    assert {s.path: s.status for s in key_states(fleet)} == dict.fromkeys(paths, "current")

    fleet = write_repo(tmp_path, rotated.public, us.public)  # eu-west's key rotated
    states = {s.path: s for s in key_states(fleet)}
    assert {p: s.status for p, s in states.items()} == {
        paths[0]: "stale", paths[1]: "stale", paths[2]: "current"}
    assert [r.value for r in states[paths[0]].added] == [rotated.public]
    assert [r.value for r in states[paths[0]].removed] == [eu.public]

    sops_config([fleet], check=False)
    done = update_all(fleet, sops_env(tmp_path, eu))  # the old key re-keys the files
    assert {s.path: s.status for s in done} == {
        paths[0]: "updated", paths[1]: "updated", paths[2]: "current"}
    assert sops(tmp_path, "--decrypt", paths[0], key=rotated).ok
    assert not sops(tmp_path, "--decrypt", paths[0], key=eu).ok
    assert all(s.status == "current" for s in key_states(fleet))


def test_updatekeys_without_the_old_key_fails_and_says_so(tmp_path: Path) -> None:
    eu, us, rotated = age_key(), age_key(), age_key()
    fleet = write_repo(tmp_path, eu.public, us.public)
    sops_config([fleet], check=False)
    plain_file(tmp_path, "clusters/eu-west/a/one.yaml")
    assert sops(tmp_path, "--encrypt", "--in-place", "clusters/eu-west/a/one.yaml").ok
    fleet = write_repo(tmp_path, rotated.public, us.public)
    sops_config([fleet], check=False)
    [state] = update_all(fleet, sops_env(tmp_path, us))
    assert state.status == "failed" and state.detail


def test_real_sops_output_lints_clean_as_a_plain_manifest(tmp_path: Path) -> None:
    eu, us = age_key(), age_key()
    fleet = write_repo(tmp_path, eu.public, us.public)
    sops_config([fleet], check=False)
    plain_file(tmp_path, "clusters/eu-west/manual/db.yaml")
    assert sops(tmp_path, "--encrypt", "--in-place", "clusters/eu-west/manual/db.yaml").ok
    run = run_cli("lint", "clusters/eu-west/manual/db.yaml", cwd=tmp_path)
    assert run.code == 0, run.out + run.err  # no schema error on `sops:`, no plaintext


MANIFESTS_FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {{name: t}}
spec:
  output: {{dir: clusters, engine: flux, repoURL: https://x.example/r.git,
           flux: {{decryption: {{secretRef: sops-age}}}}}}
  zones:
    eu: {{regions: [eu-west-1]}}
    us: {{regions: [us-east-1]}}
  dataClasses:
    personal-eu: {{residency: [eu]}}
  clusters:
    - {{name: eu-west, region: eu-west-1, kubernetesVersion: "1.31",
       secrets: {{age: [{eu}]}}}}
    - {{name: us-east, region: us-east-1, kubernetesVersion: "1.31",
       secrets: {{age: [{us}]}}}}
  components:
    - {{name: creds, manifests: "secrets/{{cluster}}", namespace: accounts,
       placement: {{clusters: [eu-west, us-east]}}}}
"""


def test_a_manifests_file_rendered_by_mcgen_still_decrypts_byte_for_byte(
        tmp_path: Path) -> None:
    eu, us = age_key(), age_key()
    (tmp_path / "fleets").mkdir()
    (tmp_path / "fleets" / "t.yaml").write_text(MANIFESTS_FLEET.format(eu=eu.public,
                                                                       us=us.public))
    assert run_cli("secrets", "config", cwd=tmp_path).code == 0
    for cluster in ("eu-west", "us-east"):
        plain_file(tmp_path, f"secrets/{cluster}/db.yaml")
        assert sops(tmp_path, "--encrypt", "--in-place", f"secrets/{cluster}/db.yaml").ok
    assert run_cli("render", cwd=tmp_path).code == 0

    source = (tmp_path / "secrets/eu-west/db.yaml").read_bytes()
    copy = "clusters/eu-west/creds/db.yaml"
    assert (tmp_path / copy).read_bytes() == source
    mine = sops(tmp_path, "--decrypt", copy, key=eu)
    assert mine.ok, mine.stderr
    assert yaml.safe_load(mine.stdout) == yaml.safe_load(SECRET)
    assert not sops(tmp_path, "--decrypt", copy, key=us).ok
    assert not sops(tmp_path, "--decrypt", "clusters/us-east/creds/db.yaml", key=eu).ok
    flux = yaml.safe_load((tmp_path / "clusters/eu-west/flux-system/creds.yaml").read_text())
    assert flux["spec"]["decryption"] == {"provider": "sops", "secretRef": {"name": "sops-age"}}
    run = run_cli("lint", cwd=tmp_path)
    assert run.code == 0, run.out + run.err
    assert run_cli("secrets", "updatekeys", "--check", cwd=tmp_path).code == 0
