"""CRD schemas: the Kubernetes extensions, and the real Flux and Argo CD CRDs and examples."""

from __future__ import annotations

from pathlib import Path

import jsonschema_rs
import pytest

from mcgen.schemas.crd import to_json_schema
from mcgen.schemas.validate import SchemaValidator
from mcgen.yaml.manifests import parse_documents

NODE = {
    "type": "object",
    "properties": {
        "size": {"x-kubernetes-int-or-string": True},
        "note": {"type": "string", "nullable": True},
        "values": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                   "properties": {"known": {"type": "string"}}},
        "pod": {"type": "object", "x-kubernetes-embedded-resource": True,
                "properties": {"spec": {"type": "object"}}},
    },
}


def valid(instance: object, strict: bool = True) -> bool:
    schema = to_json_schema({"type": "object", "properties": {"spec": NODE}}, strict)
    return bool(jsonschema_rs.Draft202012Validator(schema).is_valid(instance))


@pytest.mark.parametrize("size", [3, "25%"])
def test_int_or_string_admits_both(size: object) -> None:
    assert valid({"spec": {"size": size}})
    assert not valid({"spec": {"size": [size]}})


def test_nullable_admits_null() -> None:
    assert valid({"spec": {"note": None}})


def test_preserve_unknown_fields_beside_properties_keeps_unknown_fields_in_strict_mode() -> None:
    # kubeconform's converter rejects this object (its issue #224); the API server accepts it.
    assert valid({"spec": {"values": {"known": "a", "anything": {"deep": [1]}}}})
    assert not valid({"spec": {"values": {"known": 1}}})


def test_embedded_resource_allows_type_and_object_metadata() -> None:
    assert valid({"spec": {"pod": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                                   "spec": {}}}})


def test_strict_mode_rejects_unknown_fields_and_lax_mode_does_not() -> None:
    assert not valid({"spec": {"colour": "blue"}}, strict=True)
    assert valid({"spec": {"colour": "blue"}}, strict=False)
    assert valid({"apiVersion": "x/v1", "kind": "X", "metadata": {"name": "n"}}, strict=True)


def corpus_crds(corpora: Path) -> list[str]:
    return sorted([*map(str, corpora.glob("*-controller/config/crd/bases/*.yaml")),
                   *map(str, corpora.glob("argo-cd/manifests/crds/*-crd.yaml"))])


# Partial objects (kustomize patches) and design proposals: invalid on their own, rightly.
EXPECTED_INVALID = {
    "argo-cd/applicationset/examples/design-doc/applicationset-fasttemplate.yaml",
    "argo-cd/applicationset/examples/design-doc/applicationset.yaml",
    "argo-cd/applicationset/examples/design-doc/git-directory-discovery-fasttemplate.yaml",
    "argo-cd/applicationset/examples/design-doc/git-directory-discovery.yaml",
    "argo-cd/applicationset/examples/design-doc/git-files-discovery-fasttemplate.yaml",
    "argo-cd/applicationset/examples/design-doc/git-files-discovery.yaml",
    "argo-cd/applicationset/examples/design-doc/git-files-literal-fasttemplate.yaml",
    "argo-cd/applicationset/examples/design-doc/git-files-literal.yaml",
    "argo-cd/applicationset/examples/design-doc/proposal/filters.yaml",
    "argo-cd/docs/operator-manual/applicationset.yaml",
    "flux2-kustomize-helm-example/apps/production/podinfo-values.yaml",
    "flux2-kustomize-helm-example/apps/staging/podinfo-values.yaml",
    "flux2-kustomize-helm-example_pre-flux2.7_a484a05/apps/production/podinfo-values.yaml",
    "flux2-kustomize-helm-example_pre-flux2.7_a484a05/apps/staging/podinfo-values.yaml",
    "flux2-multi-tenancy/tenants/production/dev-team-patch.yaml",
    "flux2-multi-tenancy/tenants/staging/dev-team-patch.yaml",
}


@pytest.mark.parametrize("strict", [True, False])
def test_real_flux_and_argo_examples_validate_against_the_real_crds(
        corpora: Path, strict: bool) -> None:
    validator = SchemaValidator(strict=strict)
    assert validator.add_crd_paths(corpus_crds(corpora)) == []
    assert len(validator.crds) >= 10
    statuses: dict[str, set[str]] = {}
    files = [*corpora.glob("flux2-*/**/*.yaml"), *corpora.glob("argo-cd/**/*.yaml")]
    for path in sorted(files):
        if "crd" in path.parts[-2] or "crds" in path.parts:
            continue
        parsed = parse_documents(path.read_text(errors="replace"))
        for document in parsed if isinstance(parsed, list) else []:
            body = document.value
            if isinstance(body, dict) and (str(body.get("apiVersion")),
                                           str(body.get("kind"))) in validator.crds:
                outcome = validator.validate(body, "1.31")
                statuses.setdefault(outcome.status, set()).add(
                    str(path.relative_to(corpora)))
    assert statuses.get("invalid", set()) == EXPECTED_INVALID
    assert len(statuses["valid"]) >= 60
