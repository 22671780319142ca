"""Diffs and messages never show a secret's value, only that it changed."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from mcgen.secrets.redact import CHANGED, HIDDEN, change_paths, redact_pair

SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: db, labels: {app: db}}
data:
  password: aHVudGVyMg==
  cert: |
    line one
    line two
stringData: {token: "tok-1"}
"""


def test_only_changed_secret_values_are_marked_and_none_is_shown() -> None:
    new = SECRET.replace("aHVudGVyMg==", "c2VjcmV0").replace("app: db", "app: db2")
    old_text, new_text = redact_pair(SECRET, new)
    assert old_text is not None and new_text is not None
    for value in ("aHVudGVyMg==", "c2VjcmV0", "line one", "tok-1"):
        assert value not in old_text + new_text
    assert f"password: {CHANGED}" in new_text and f"password: {HIDDEN}" in old_text
    assert f"cert: {HIDDEN}" in new_text  # unchanged: the same line on both sides
    assert "app: db2" in new_text  # everything else shows as it is


def test_sops_values_and_data_keys_are_hidden_but_recipients_shown() -> None:
    text = ("kind: ConfigMap\ndata:\n  url: ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]\n"
            "sops:\n  age:\n    - recipient: age1xyz\n      enc: |\n        -----BEGIN AGE\n"
            "  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.11.0\n")
    shown, _ = redact_pair(text, None)
    assert shown is not None
    assert "Zm9v" not in shown and "BEGIN AGE" not in shown and "bWFj" not in shown
    assert "recipient: age1xyz" in shown and "version: 3.11.0" in shown


def test_mcgen_diff_paths_say_a_secret_changed() -> None:
    old = {"kind": "Secret", "data": {"password": "YQ=="},
           "sops": {"age": [{"recipient": "age1a", "enc": "x"}], "mac": "m1"}}
    new = {"kind": "Secret", "data": {"password": "Yg=="},
           "sops": {"age": [{"recipient": "age1a", "enc": "y"}], "mac": "m2"}}
    paths = [(("data", "password"), "data.password"), (("sops", "mac"), "sops.mac"),
             (("sops", "age", 0, "enc"), "sops.age[0].enc")]
    assert change_paths(old, new, paths) == (
        "data.password (secret value changed)", "sops (re-encrypted)")
    rekeyed = [(("sops", "age", 0, "recipient"), "sops.age[0].recipient")]
    assert change_paths(old, new, rekeyed) == ("sops (recipients changed)",)


def test_render_check_diff_hides_a_plain_secrets_value(tmp_path: Path) -> None:
    (tmp_path / "fleets").mkdir()
    (tmp_path / "templates" / "app").mkdir(parents=True)
    (tmp_path / "fleets" / "t.yaml").write_text(
        "apiVersion: mcgen.dev/v1alpha1\nkind: Fleet\nmetadata: {name: t}\nspec:\n"
        "  output: {dir: clusters, engine: kustomize}\n  zones: {eu: {regions: [r]}}\n"
        "  clusters: [{name: a, region: r, kubernetesVersion: '1.31'}]\n"
        "  components: [{name: app, template: app, placement: {clusters: [a]}}]\n")
    template = tmp_path / "templates" / "app" / "s.yaml.j2"
    template.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                        "stringData: {password: first-value}\n")
    assert run_cli("render", cwd=tmp_path).code == 0
    template.write_text(template.read_text().replace("first-value", "second-value"))
    run = run_cli("render", "--check", cwd=tmp_path)
    assert run.code == 1
    assert "first-value" not in run.out and "second-value" not in run.out
    assert f"+  password: {CHANGED}" in run.out
