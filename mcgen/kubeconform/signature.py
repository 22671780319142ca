"""A resource's signature (kind, apiVersion, metadata.name) as kubeconform reads it.

pkg/resource/resource.go: `SignatureFromMap` requires `kind` and `apiVersion` to be
strings ("missing 'kind' key" otherwise, reported as "error while parsing: ..." by
pkg/validator/validator.go before -skip, -reject or -ignore-missing-schemas apply), and
`Signature()` reads metadata into a Go struct, which a list or a mapping where a string
belongs cannot fill (encoding/json's UnmarshalTypeError).
"""

from __future__ import annotations

_GO_TYPES = {dict: "object", list: "array", str: "string", bool: "bool", int: "number",
             float: "number"}


def signature_problem(body: dict[str, object]) -> str:
    """What keeps `body` from having a signature, as kubeconform words it; "" if nothing."""
    for key in ("kind", "apiVersion"):
        if not isinstance(body.get(key), str):
            return f"missing '{key}' key"
    meta = body.get("metadata")
    if meta is None:
        return ""
    if not isinstance(meta, dict):
        return _type_error(meta, "Metadata", "struct")
    for field in ("name", "namespace", "generateName"):
        if isinstance(meta.get(field), dict | list):
            return _type_error(meta[field], f"Metadata.{field[0].upper()}{field[1:]}", "string")
    return ""


def _type_error(value: object, field: str, wanted: str) -> str:
    found = _GO_TYPES.get(type(value), "value")
    return (f"error unmarshaling JSON: json: cannot unmarshal {found} into Go struct field "
            f".{field} of type {wanted}")
