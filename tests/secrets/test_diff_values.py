"""`mcgen diff` and `mcgen ci` say that a secret changed, never what it is."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from workflows.gitfixture import commit_all, git

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {eu: {regions: [eu-west-1]}}
  clusters: [{name: eu-west, region: eu-west-1, kubernetesVersion: "1.31"}]
  components: [{name: app, template: app, namespace: app, placement: {clusters: [eu-west]}}]
"""
SECRET = ("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
          "data: {password: %s}\n")


def test_a_changed_secret_shows_as_changed_without_its_value(tmp_path: Path) -> None:
    (tmp_path / "fleets").mkdir()
    (tmp_path / "fleets" / "t.yaml").write_text(FLEET)
    (tmp_path / "templates" / "app").mkdir(parents=True)
    template = tmp_path / "templates" / "app" / "s.yaml.j2"
    template.write_text(SECRET % "Zmlyc3Q=")
    git(tmp_path, "init", "-q", "-b", "main")
    assert run_cli("render", "-q", cwd=tmp_path).code == 0
    commit_all(tmp_path, "first")
    template.write_text(SECRET % "c2Vjb25k")
    assert run_cli("render", "-q", cwd=tmp_path).code == 0
    commit_all(tmp_path, "second")
    for fmt in ("text", "markdown", "json"):
        run = run_cli("diff", "--base", "HEAD~1", "--format", fmt, cwd=tmp_path)
        assert run.code == 0, run.err
        assert "data.password (secret value changed)" in run.out
        assert "Zmlyc3Q=" not in run.out and "c2Vjb25k" not in run.out
    summary = tmp_path / "summary.md"
    run = run_cli("ci", "--base", "HEAD~1", "--summary", str(summary), cwd=tmp_path)
    text = run.out + run.err + (summary.read_text() if summary.exists() else "")
    assert "Zmlyc3Q=" not in text and "c2Vjb25k" not in text
    assert "secret value changed" in text
