"""Rules on plain manifests (`mcgen lint FILE`), where no fleet names a cluster: each
message says so in words of its own, and what only a fleet fills in is not made up.

Rule modules checked here: object_name, cert_issuer_missing, deprecated_api, image_tag,
schema, duplicate_object, resource_limits (named so `tools/mutate.py` runs this file
against their mutants).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from mcgen.findings import Finding
from mcgen.lint.engine import LintRequest, lint

TODAY = datetime.date(2026, 12, 1)


def findings(tmp_path: Path, text: str, rule: str, version: str = "1.31") -> list[Finding]:
    target = tmp_path / "objects.yaml"
    target.write_text(text)
    request = LintRequest(targets=(str(target),), cwd=str(tmp_path), select=(rule,),
                          kubernetes_version=version, today=TODAY)
    return list(lint(request).findings)


def lines(found: list[Finding]) -> list[str]:
    return sorted(f"{f.location.line} {f.severity.value}: {f.message}" for f in found)


def test_an_empty_or_non_text_name_or_namespace_is_left_to_the_schema_rule(
        tmp_path: Path) -> None:
    text = ('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "", namespace: ""}\n---\n'
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 5, namespace: 7}\n---\n'
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: Bad}\n')
    assert lines(findings(tmp_path, text, "object-name")) == [
        "11 error: ConfigMap Bad/ok: namespace 'Bad' is not valid: it must be an RFC 1123 "
        "label (lower-case letters, digits and '-', starting and ending with a letter or "
        "digit, at most 63 characters)"]


CERTIFICATE = """\
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: shop}
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer, group: GROUP}
"""


def test_a_missing_issuer_in_plain_manifests_names_the_set_not_a_cluster(
        tmp_path: Path) -> None:
    """An empty `group` is cert-manager's own, as an absent one is."""
    for group in ('""', "cert-manager.io"):
        found = findings(tmp_path, CERTIFICATE.replace("GROUP", group), "cert-issuer-missing")
        assert lines(found) == [
            "7 error: Certificate shop/web asks cert-manager for ClusterIssuer 'letsencrypt', "
            "which this set of manifests does not have (its ClusterIssuers: none): no "
            "certificate will be issued; render the issuer on this set of manifests too, or "
            "name one it has"], group


def test_an_issuer_of_another_group_is_not_cert_managers(tmp_path: Path) -> None:
    text = CERTIFICATE.replace("GROUP", "awspca.cert-manager.io")
    assert findings(tmp_path, text, "cert-issuer-missing") == []


def test_a_removed_api_in_plain_manifests_names_the_target_cluster(tmp_path: Path) -> None:
    text = ("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
            "spec: {minAvailable: 1}\n")
    assert lines(findings(tmp_path, text, "deprecated-api", "1.31")) == [
        "1 error: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 and the "
        "target cluster runs 1.31; use policy/v1"]


def test_an_image_still_templated_is_not_judged(tmp_path: Path) -> None:
    """A Helm-style template linted as a manifest: the image is not known yet."""
    pod = ('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n'
           '    - {name: web, image: "{{ .Values.image }}"}\n'
           '    - {name: side, image: "busybox"}\n')
    assert lines(findings(tmp_path, pod, "image-tag")) == [
        "7 error: container 'side' of Pod web uses image 'busybox' with no tag, which "
        "means 'latest'; pin a version tag or a digest"]


def test_api_findings_point_at_the_apiversion_line_wherever_it_is(tmp_path: Path) -> None:
    """A hand-written manifest may put `kind` first: the finding names the line to change."""
    widget = "kind: Widget\napiVersion: example.com/v1\nmetadata: {name: w}\n"
    assert lines(findings(tmp_path, widget, "schema")) == [
        "2 error: no schema for example.com/v1 Widget in Kubernetes 1.31 or the CRDs given: "
        "nothing validates it; add its CRD to spec.lint.crds (or pass --crd)"]
    budget = ("kind: PodDisruptionBudget\napiVersion: policy/v1beta1\nmetadata: {name: web}\n"
              "spec: {minAvailable: 1}\n")
    assert [f.location.line for f in findings(tmp_path, budget, "deprecated-api")] == [2]


def test_a_duplicate_in_plain_manifests_names_no_component(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    found = findings(tmp_path, text + "---\n" + text, "duplicate-object")
    assert [f.message for f in found] == [
        f"ConfigMap c is already defined in {tmp_path / 'objects.yaml'}:1:1; one of them is "
        "silently lost"]


def test_ephemeral_containers_need_no_limits(tmp_path: Path) -> None:
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
           "    - {name: web, image: nginx:1.27, resources: {limits: {memory: 1Gi}}}\n"
           "  ephemeralContainers:\n    - {name: debug, image: busybox:1.36}\n")
    assert findings(tmp_path, pod, "resource-limits") == []
    without = pod.replace(", resources: {limits: {memory: 1Gi}}", "")
    assert [f.location.line for f in findings(tmp_path, without, "resource-limits")] == [6]


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
    - name: v1beta1
      served: true
      storage: false
      deprecated: true
      schema: {openAPIV3Schema: {type: object}}
    - {name: v1alpha1, served: false, storage: false, schema: {openAPIV3Schema: {type: object}}}
"""


def test_crd_deprecations_point_at_the_apiversion_line(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text(CRD)
    text = ("kind: Widget\napiVersion: example.com/v1beta1\nmetadata: {name: a}\n---\n"
            "kind: Widget\napiVersion: example.com/v1alpha1\nmetadata: {name: b}\n")
    target = tmp_path / "objects.yaml"
    target.write_text(text)
    request = LintRequest(targets=(str(target),), cwd=str(tmp_path), select=("deprecated-api",),
                          kubernetes_version="1.31", today=TODAY,
                          crds=(str(tmp_path / "crd.yaml"),))
    assert lines(list(lint(request).findings)) == [
        "2 warning: example.com/v1beta1 Widget is deprecated by its CRD; use example.com/v1",
        "6 error: example.com/v1alpha1 Widget is no longer served by its CRD; use example.com/v1"]
