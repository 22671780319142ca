"""Rendering one chart: hooks, tests, run-dependent output, broken templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from helm.helmcharts import make_chart, needs_sdk, render
from mcgen.helm import semver

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{0}\n"


@needs_sdk
def test_hooks_are_kept_and_marked_tests_refused_or_skipped(tmp_path: Path) -> None:
    hook = ("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
            "    helm.sh/hook: pre-install,pre-upgrade\nspec: {}\n")
    test = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: check\n  annotations:\n"
            "    \"helm.sh/hook\": test\nspec: {}\n")
    chart = make_chart(tmp_path, "app", {"cm.yaml": CONFIGMAP.replace("{0}", "a"),
                                         "job.yaml": hook, "tests/check.yaml": test,
                                         "NOTES.txt": "Thanks for installing!\n",
                                         "notes.conf": "not = yaml\n"})
    refused = render(chart)
    (problem,) = refused.problems
    assert problem.file == "charts/app/templates/tests/check.yaml" and problem.line == 1
    assert "skipTests: true" in problem.message
    kept = render(chart, skip_tests=True)
    assert not kept.problems
    assert [(o.source, o.hook) for o in kept.objects] == [
        ("app/templates/cm.yaml", ""), ("app/templates/job.yaml", "pre-install,pre-upgrade")]


@needs_sdk
def test_random_output_is_refused_with_the_value_that_turns_it_off(tmp_path: Path) -> None:
    secret = ("{{- if .Values.password.generate }}\napiVersion: v1\nkind: Secret\n"
              "metadata:\n  name: pw\nstringData:\n  pw: {{ randAlphaNum 16 }}\n{{- end }}\n")
    chart = make_chart(tmp_path, "app", {"secret.yaml": secret, "cm.yaml": CONFIGMAP},
                       values="password:\n  generate: true\n")
    (problem,) = render(chart).problems
    assert problem.file == "charts/app/templates/secret.yaml"
    assert "randAlphaNum" in problem.message and "`password.generate: false`" in problem.message
    assert not render(chart, values={"password": {"generate": False}}).problems


@needs_sdk
def test_random_output_of_the_corpus(corpora: Path) -> None:
    charts = corpora / "charts"
    (nginx,) = render(charts / "nginx", root=charts).problems
    assert nginx.file == "charts/nginx/templates/tls-secret.yaml"
    assert "genCA" in nginx.message and "`tls.enabled: false`" in nginx.message
    podinfo = render(charts / "podinfo", root=charts).problems
    assert {p.file.rsplit("/", 1)[1] for p in podinfo} == {"grpc.yaml", "jwt.yaml",
                                                           "service.yaml"}
    assert all("randAlphaNum" in p.message and "skipTests: true" in p.message
               for p in podinfo)
    metrics = render(charts / "metrics-server", values={"tls": {"type": "helm"}},
                     root=charts).problems
    assert metrics and all("genSelfSignedCert" in p.message for p in metrics)


@needs_sdk
def test_a_broken_template_names_its_file_and_line(tmp_path: Path) -> None:
    broken = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
              "  a: {{ .Values.a | nosuch }}\n")
    chart = make_chart(tmp_path, "app", {"cm.yaml": broken})
    (problem,) = render(chart).problems
    assert problem.file == "charts/app/templates/cm.yaml"
    assert problem.line == 6
    assert "nosuch" in problem.message
    failing = "{{ fail \"set .Values.host\" }}\n"
    chart = make_chart(tmp_path / "b", "app", {"cm.yaml": failing})
    (problem,) = render(chart).problems
    assert (problem.file, problem.line) == ("charts/app/templates/cm.yaml", 1)
    assert "set .Values.host" in problem.message


@needs_sdk
def test_lookup_finds_nothing_offline(tmp_path: Path) -> None:
    template = ("{{- $s := lookup \"v1\" \"Secret\" \"ns\" \"x\" }}\napiVersion: v1\n"
                "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  found: {{ empty $s | quote }}\n")
    (obj,) = render(make_chart(tmp_path, "app", {"cm.yaml": template})).objects
    assert 'found: "true"' in obj.text


@pytest.mark.parametrize(("version", "constraint", "holds"), [
    ("v1.21.0", ">=1.21.0-0", True), ("v1.20.9", ">=1.21.0-0", False),
    ("v1.22.0", ">= 1.22.0-0", True), ("v1.30.0", ">=1.23.0-0 <1.31.0", True),
    ("v1.31.0", ">=1.23.0-0 <1.31.0", False), ("v1.25.3", "~1.25.0", True),
    ("v1.26.0", "~1.25.0", False), ("v1.29.0", "^1.20", True), ("v2.0.0", "^1.20", False),
    ("v1.28.0", "1.28.x", True), ("v1.29.0", "1.28.x", False),
    ("v1.19.0", "<1.20 || >=1.25", True), ("v1.22.0", "<1.20 || >=1.25", False),
    ("v1.25.0", "1.24 - 1.26", True), ("v1.27.0", "1.24 - 1.26", False),
    ("v1.30.0", ">1.29", True), ("v1.29.5", ">1.29", False), ("v1.29.5", "<=1.29", True),
    ("v1.30.0", "!=1.30.0", False), ("v1.30.0", ">=1.25.0,<1.34.0", True),
])
def test_kube_version_constraints(version: str, constraint: str, holds: bool) -> None:
    assert semver.satisfies(version, constraint) is holds


def test_a_malformed_constraint_is_an_error() -> None:
    with pytest.raises(semver.ConstraintError):
        semver.satisfies("v1.30.0", ">=one")
