"""CustomResourceDefinitions to JSON schemas, one per served version.

`openAPIV3Schema` is close to JSON Schema but not the same. The Kubernetes extensions are
honoured the way the API server honours them:

- `x-kubernetes-preserve-unknown-fields: true` keeps fields the schema does not name,
  also in strict mode, and also below a node that has `properties` (kubeconform's converter
  drops this and rejects such objects: its issue #224);
- `x-kubernetes-int-or-string: true` admits an integer or a string;
- `x-kubernetes-embedded-resource: true` is a whole object: apiVersion, kind and metadata
  are allowed even where the schema lists other properties only;
- `nullable: true` admits null.

Strict mode adds `additionalProperties: false` wherever the schema names properties and
keeps no unknown fields, so a misspelt field is an error, as kubectl's `--validate=strict`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import NamedTuple

JsonObject = dict[str, object]

_EMBEDDED = {
    "apiVersion": {"type": "string"},
    "kind": {"type": "string"},
    "metadata": {"type": "object"},
}
_PASS_THROUGH = ("x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
                 "x-kubernetes-embedded-resource", "nullable")


class CrdSchema(NamedTuple):
    group: str
    version: str
    kind: str
    served: bool
    deprecated: bool
    schema: JsonObject  # plain openAPIV3Schema, converted on demand for strict or not

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"


def crd_versions(crd: JsonObject) -> Iterator[CrdSchema]:
    """The versions of one CRD object that carry a schema."""
    spec = crd.get("spec")
    if not isinstance(spec, dict):
        return
    names = spec.get("names")
    kind = names.get("kind") if isinstance(names, dict) else None
    group = spec.get("group")
    if not isinstance(kind, str) or not isinstance(group, str):
        return
    shared = spec.get("validation")  # apiextensions v1beta1: one schema for all versions
    for entry in spec.get("versions") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        holder = entry.get("schema") or shared
        schema = holder.get("openAPIV3Schema") if isinstance(holder, dict) else None
        if isinstance(schema, dict):
            yield CrdSchema(group, entry["name"], kind, bool(entry.get("served", True)),
                            bool(entry.get("deprecated", False)), schema)


def to_json_schema(schema: JsonObject, strict: bool) -> JsonObject:
    """A draft 2020-12 JSON schema for an object of this CRD version."""
    converted = _convert(copy.deepcopy(schema), strict, top=True)
    converted["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return converted


def _convert(node: JsonObject, strict: bool, top: bool = False) -> JsonObject:
    preserve = bool(node.get("x-kubernetes-preserve-unknown-fields"))
    if node.get("x-kubernetes-int-or-string"):
        node.pop("type", None)
        node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.get("nullable") and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    properties = node.get("properties")
    if node.get("x-kubernetes-embedded-resource") or top:
        properties = {**_EMBEDDED, **(properties if isinstance(properties, dict) else {})}
        node["properties"] = properties
    if isinstance(properties, dict):
        node["properties"] = {k: _convert(v, strict) for k, v in properties.items()
                              if isinstance(v, dict)}
        if strict and not preserve and "additionalProperties" not in node:
            node["additionalProperties"] = False
    for key in ("items", "additionalProperties", "not"):
        child = node.get(key)
        if isinstance(child, dict):
            node[key] = _convert(child, strict)
    for key in ("allOf", "anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list):
            # Structural-schema branches only restrict values; never close objects there.
            node[key] = [_convert(o, False) for o in options if isinstance(o, dict)]
    for key in _PASS_THROUGH:
        node.pop(key, None)
    node.pop("format", None)  # int32, int64, date-time ...: the API server's business
    return node
