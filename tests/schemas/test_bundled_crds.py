"""mcgen's shipped Flux and Argo CD schemas give the verdicts of the real CRDs.

A differential test: every example object of the seven kinds in ../shared/corpora, and an
object generated from each real CRD with every field it names, are mutated systematically
(each field removed, given the wrong type, given an invalid string; an unknown field beside
each mapping) and validated against the shipped schema and against the real CRD, both
through mcgen's converter, strict and not. Verdicts must be the same, except below the
subtrees the shipped schemas leave open on purpose (LOOSE, listed in docs/fleet-spec.md),
where the shipped schema may only be more permissive, never reject what the CRD accepts.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcgen.schemas.bundled import SOURCE, bundled_crds
from mcgen.schemas.crd import JsonObject
from mcgen.schemas.validate import SchemaValidator
from mcgen.yaml.manifests import parse_documents

from .test_crd import corpus_crds

Path_ = tuple[str | int, ...]
KINDS = sorted(bundled_crds())
OPEN_GENERATORS = ("matrix", "merge", "plugin", "pullRequest", "scmProvider",
                   "clusterDecisionResource")
UNKNOWN = "mcgenUnknownField"
CANDIDATES = ("1m", "https://example.com/x", "oci://example.com/x", "a", "abc", "v1")


def loose(path: Path_) -> bool:
    """Subtrees the shipped schemas leave open (written by controllers, or rarely hand-written)."""
    names = [p for p in path if isinstance(p, str)]
    return (names[:1] in (["status"], ["operation"])
            or (len(names) > 1 and names[:2] == ["spec", "sourceIntegrity"])
            or "jwtTokens" in names
            or (names[:2] == ["spec", "generators"]
                and any(n in OPEN_GENERATORS for n in names[2:4])))


def sample(node: JsonObject, path: Path_ = ()) -> object:
    """A value of this schema node with every field it names (open subtrees left out)."""
    if "enum" in node:
        return node["enum"][0]  # type: ignore[index]
    if node.get("x-kubernetes-int-or-string"):
        return 1
    kind = node.get("type")
    if kind == "string":
        pattern = str(node.get("pattern", ""))
        return next(c for c in CANDIDATES if re.search(pattern, c))
    if kind in ("integer", "number"):
        return max(1, int(node.get("minimum", 1)))  # type: ignore[call-overload]
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(node["items"], (*path, 0))]  # type: ignore[arg-type]
    properties = node.get("properties")
    if isinstance(properties, dict):
        return {k: sample(v, (*path, k)) for k, v in sorted(properties.items())
                if not loose((*path, k))}
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        return {"key": sample(extra, (*path, "key"))}
    return {"any": {"thing": [1]}}


def leaves(value: object, path: Path_ = ()) -> Iterator[tuple[Path_, object]]:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaves(child, (*path, index))


def wrong_type(value: object) -> object:
    return 7 if isinstance(value, str) else "text"


def mutants(body: JsonObject) -> Iterator[tuple[str, Path_, JsonObject]]:
    """(what, where, object) for each systematic change of one field of body."""
    for path, value in leaves(body):
        if path[:1] in ((), ("apiVersion",), ("kind",)):
            if isinstance(value, dict):
                yield "unknown", path, _set(body, (*path, UNKNOWN), "x")
            continue
        yield "removed", path, _set(body, path, None)
        yield "wrong type", path, _set(body, path, wrong_type(value))
        if isinstance(value, str):
            yield "bad value", path, _set(body, path, "Not a valid value!")
        if isinstance(value, dict):
            yield "unknown", path, _set(body, (*path, UNKNOWN), "x")


def _set(body: JsonObject, path: Path_, value: object) -> JsonObject:
    """A copy of body with path set to value (None: removed)."""
    result = copy.deepcopy(body)
    node: object = result
    for part in path[:-1]:
        node = node[part]  # type: ignore[index]
    if value is None and isinstance(node, list):
        node.pop(path[-1])  # type: ignore[arg-type]
    elif value is None:
        node.pop(path[-1])  # type: ignore[union-attr]
    else:
        node[path[-1]] = value  # type: ignore[index]
    return result


def examples(corpora: Path) -> list[JsonObject]:
    found = []
    files = [*corpora.glob("flux2*/**/*.yaml"), *corpora.glob("argo-cd/**/*.yaml"),
             *corpora.glob("*-controller/config/samples/*.yaml")]
    for path in sorted(files):
        parsed = parse_documents(path.read_text(errors="replace"))
        for document in parsed if isinstance(parsed, list) else []:
            body = document.value
            if isinstance(body, dict) and (str(body.get("apiVersion")),
                                           str(body.get("kind"))) in KINDS:
                found.append(body)
    return found


def generated(real: SchemaValidator) -> list[JsonObject]:
    """One object per kind with every field the real CRD names, outside LOOSE."""
    made = []
    for api_version, kind in KINDS:
        body = sample(real.crds[(api_version, kind)].schema)
        assert isinstance(body, dict)
        made.append({**body, "apiVersion": api_version, "kind": kind,
                     "metadata": {"name": "n", "namespace": "ns"}})
    return made


@pytest.fixture
def real_crds(corpora: Path) -> list[str]:
    return corpus_crds(corpora)


def validators(crd_files: list[str], strict: bool) -> tuple[SchemaValidator, SchemaValidator]:
    real = SchemaValidator(strict=strict, bundled=False)
    assert real.add_crd_paths(crd_files) == []
    assert all(key in real.crds for key in KINDS)
    return real, SchemaValidator(strict=strict)


def verdict(validator: SchemaValidator, body: JsonObject) -> str:
    return validator.validate(body, "1.31").status


@pytest.mark.slow  # ~15,400 mutants through two validators: ~25 s each (loaded machine)
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lax"])
def test_shipped_schemas_agree_with_the_real_crds(
        corpora: Path, real_crds: list[str], strict: bool) -> None:
    real, shipped = validators(real_crds, strict)
    objects = [*examples(corpora), *generated(real)]
    assert len(objects) >= 60
    for body in generated(real):  # the generator itself writes what the CRD accepts
        assert verdict(real, body) == "valid", body["kind"]
    checked, disagreements = 0, []
    for body in objects:
        for what, path, mutant in [("as is", (), body), *mutants(body)]:
            theirs, ours = verdict(real, mutant), verdict(shipped, mutant)
            checked += 1
            if theirs != ours and not (loose(path) and ours == "valid"):
                disagreements.append(f"{body['kind']} {what} at {path}: CRD {theirs}, "
                                     f"mcgen {ours}")
    assert disagreements == []
    assert checked > 5000


def test_the_shipped_schema_is_used_only_where_no_crd_is_given(real_crds: list[str]) -> None:
    release = {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
               "metadata": {"name": "web"}, "spec": {"interval": "1m", "chartRef": {
                   "kind": "OCIRepository", "name": "web"}, "intervl": "5m"}}
    outcome = SchemaValidator().validate(release, "1.31")
    assert outcome.status == "invalid" and outcome.source.startswith(SOURCE)
    assert [v.path for v in outcome.violations] == [("spec", "intervl")]
    given = SchemaValidator()
    given.add_crd_paths(real_crds)
    assert given.validate(release, "1.31").source == "CRD helm.toolkit.fluxcd.io/v2 HelmRelease"
    assert SchemaValidator(bundled=False).validate(release, "1.31").status == "missing"


def test_every_flux_and_argo_object_mcgen_writes_passes_the_shipped_schemas() -> None:
    """The example fleet's tree and the golden trees, with no CRD given for these kinds."""
    root = Path(__file__).resolve().parents[2]
    trees = [root / "clusters", *sorted((root / "tests/fixtures/render/expected").iterdir())]
    validator, seen = SchemaValidator(strict=True), set()
    for path in sorted(p for tree in trees for p in tree.rglob("*.yaml")):
        parsed = parse_documents(path.read_text())
        for document in parsed if isinstance(parsed, list) else []:
            body = document.value
            if isinstance(body, dict) and (body.get("apiVersion"), body.get("kind")) in KINDS:
                outcome = validator.validate(body, "1.31")
                assert (outcome.status, outcome.violations) == ("valid", ()), path
                assert outcome.source.startswith(SOURCE)
                seen.add(body["kind"])
    assert {"Kustomization", "GitRepository", "Application", "ApplicationSet"} <= seen
