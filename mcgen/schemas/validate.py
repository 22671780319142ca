"""Validate objects against the schema of their cluster's Kubernetes version or CRD.

Schemas are compiled once (jsonschema-rs, Rust) and cached per (version, strictness,
apiVersion, kind); a valid object costs one `is_valid` call.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple

import jsonschema_rs

from mcgen.confine import escapes, refusal
from mcgen.location import Location, Problem
from mcgen.schemas.bundled import SOURCE as BUNDLED
from mcgen.schemas.bundled import bundled_crds
from mcgen.schemas.crd import CrdSchema, crd_versions, to_json_schema
from mcgen.schemas.kubernetes import SchemaKey, kind_schema, supported_version
from mcgen.yaml.manifests import DocumentError, parse_documents

PathKey = tuple[str | int, ...]
Status = Literal["valid", "invalid", "missing"]
_UNEXPECTED = re.compile(r"\('([^']+)'")
CRD_SUFFIXES = (".yaml", ".yml", ".json")


class Violation(NamedTuple):
    path: PathKey
    message: str


class Outcome(NamedTuple):
    status: Status
    violations: tuple[Violation, ...] = ()
    source: str = ""  # "Kubernetes 1.31" or "CRD <group>/<version> <kind>"


class SchemaValidator:
    """Validators for one lint run: the offline Kubernetes set plus the CRDs it was given."""

    def __init__(self, strict: bool = True, bundled: bool = True) -> None:
        self.strict = strict
        self.bundled = bundled  # fall back to the Flux/Argo CD schemas mcgen ships
        self.crds: dict[tuple[str, str], CrdSchema] = {}
        self._compiled: dict[object, jsonschema_rs.Validator | None] = {}

    def add_crd(self, body: Mapping[str, object]) -> None:
        if body.get("kind") == "CustomResourceDefinition":
            for version in crd_versions(dict(body)):
                self.crds[(version.api_version, version.kind)] = version

    def add_crd_paths(self, paths: Iterable[str], shown_root: str = "") -> list[Problem]:
        """Register every CRD in these files and folders; unreadable ones become problems."""
        problems = []
        for path in _files(paths):
            shown = os.path.relpath(path, shown_root) if shown_root else path
            real = escapes(path, shown_root) if shown_root else None
            if real:
                problems.append(refusal(shown, real))
                continue
            try:
                with open(path, encoding="utf-8") as handle:
                    parsed = parse_documents(handle.read())
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(Location(shown), f"cannot read CRD file: {exc}"))
                continue
            if isinstance(parsed, DocumentError):
                problems.append(Problem(Location(shown, parsed.line, parsed.column),
                                        f"invalid YAML in CRD file: {parsed.message}"))
                continue
            for document in parsed:
                if isinstance(document.value, dict):
                    self.add_crd(document.value)
        return problems

    def validate(self, body: Mapping[str, object], kubernetes_version: str) -> Outcome:
        api_version, kind = str(body.get("apiVersion", "")), str(body.get("kind", ""))
        validator, source = self._validator(api_version, kind, kubernetes_version)
        if validator is None:
            return Outcome("missing", (), source)
        try:
            if validator.is_valid(body):
                return Outcome("valid", (), source)
            found = tuple(_violation(error) for error in validator.iter_errors(body))
        except ValueError as exc:  # e.g. a YAML key that is a number: not a JSON object
            return Outcome("invalid", (Violation((), f"not a JSON-compatible object: {exc}"),),
                           source)
        return Outcome("invalid", found, source)

    def _validator(self, api_version: str, kind: str, version: str
                   ) -> tuple[jsonschema_rs.Validator | None, str]:
        crd = self.crds.get((api_version, kind))
        source = f"CRD {api_version} {kind}"
        if crd is None and self.bundled:  # a CRD the user gives wins over mcgen's own
            crd = bundled_crds().get((api_version, kind))
            source = f"{BUNDLED} {api_version} {kind}"
        if crd is not None:
            key: object = (api_version, kind, self.strict, source)
            if key not in self._compiled:
                self._compiled[key] = _compile(to_json_schema(crd.schema, self.strict))
            return self._compiled[key], source
        schemas = supported_version(version)
        schema_key = SchemaKey(schemas, self.strict, api_version, kind)
        if schema_key not in self._compiled:
            schema = kind_schema(schema_key)
            self._compiled[schema_key] = None if schema is None else _compile(schema)
        return self._compiled[schema_key], f"Kubernetes {schemas}"


def _compile(schema: dict[str, object]) -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(schema)


def _violation(error: jsonschema_rs.ValidationError) -> Violation:
    path: PathKey = tuple(error.instance_path)
    message = str(error.message)
    if message.startswith("Additional properties are not allowed"):
        unexpected = _UNEXPECTED.search(message)
        if unexpected:
            path = (*path, unexpected.group(1))
            message = f"unknown field {unexpected.group(1)!r}"
    if len(message) > 300:
        message = message[:297] + "..."
    return Violation(path, message)


def _files(paths: Iterable[str]) -> Iterable[str]:
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                yield from (os.path.join(folder, f) for f in sorted(files)
                            if f.endswith(CRD_SUFFIXES))
        else:
            yield path
