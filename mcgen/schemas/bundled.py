"""The CRD schemas shipped with mcgen for the objects it generates (Flux, Argo CD).

`mcgen/schemas/builtin/*.yaml` hold, as `kind: List` documents of CRDs, hand-written
`openAPIV3Schema`s for Flux's Kustomization, GitRepository, HelmRepository and
HelmRelease and Argo CD's Application, ApplicationSet and AppProject, written from the
upstream Go API types (each file's header names the versions and the subtrees left open).
The schema rule falls back to them when the fleet gives no CRD of its own for the kind, so
a HelmRelease lints without vendoring Flux's CRDs; a CRD the user gives always wins.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from mcgen.schemas.crd import CrdSchema, JsonObject, crd_versions
from mcgen.yaml.manifests import DocumentError, parse_documents

SOURCE = "mcgen's built-in schema for"


@functools.cache
def bundled_crds() -> dict[tuple[str, str], CrdSchema]:
    """(apiVersion, kind) to the shipped schema, read once per process."""
    found: dict[tuple[str, str], CrdSchema] = {}
    folder = resources.files("mcgen.schemas").joinpath("builtin")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            for crd in _crds(entry.read_text(encoding="utf-8")):
                for version in crd_versions(crd):
                    found[(version.api_version, version.kind)] = version
    return found


def _crds(text: str) -> list[JsonObject]:
    parsed = parse_documents(text)
    if isinstance(parsed, DocumentError):  # a packaging defect, caught by the tests
        raise ValueError(f"bundled CRD file: line {parsed.line}: {parsed.message}")
    crds = []
    for document in parsed:
        # A JSON round trip unshares the YAML anchors: the converter edits nodes in place.
        plain = json.loads(json.dumps(document.value))
        items = plain.get("items") if isinstance(plain, dict) else None
        crds += [item for item in items or [] if isinstance(item, dict)]
    return crds
