"""The core Kubernetes schemas shipped by the `kubernetes-validate` package (1.25-1.37).

They are draft 2020-12 documents whose `$ref`s point into one shared `_definitions.json`
per version. Each kind's schema is bundled here into a standalone document holding only
the definitions it reaches, which compiles fast and is what kubeconform's binary needs too.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from importlib.util import find_spec
from typing import NamedTuple

_REF = "/api/_definitions.json#/$defs/"
_LOCAL_REF = "#/$defs/"  # how definitions refer to each other inside _definitions.json
_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.0-local$")

JsonObject = dict[str, object]


class SchemaKey(NamedTuple):
    version: str  # "1.31"
    strict: bool
    api_version: str
    kind: str


@cache
def schema_root() -> str:
    """The package's schema folder, found without running the package: importing it
    imports jsonschema, referencing and attrs (~0.1-0.2 s of every lint's start)."""
    found = find_spec("kubernetes_validate")
    folders = found.submodule_search_locations if found is not None else None
    if not folders:
        raise ModuleNotFoundError("kubernetes-validate is not installed")
    return os.path.join(next(iter(folders)), "kubernetes-json-schema")


@cache
def available_versions() -> tuple[str, ...]:
    """Minor versions with schemas, oldest first: ("1.25", ..., "1.37")."""
    found = []
    for name in os.listdir(schema_root()):
        match = _VERSION_DIR.match(name)
        if match:
            found.append((int(match.group(1)), int(match.group(2))))
    return tuple(f"{major}.{minor}" for major, minor in sorted(found))


@cache
def supported_version(version: str) -> str:
    """The schema set for a cluster version: itself, or the nearest one shipped."""
    parts = version.split(".")
    wanted = (int(parts[0]), int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else (1, 0)
    versions = available_versions()
    numeric = [tuple(int(p) for p in v.split(".")) for v in versions]
    if wanted in numeric:
        return f"{wanted[0]}.{wanted[1]}"
    return versions[0] if wanted < numeric[0] else versions[-1]


def file_name(api_version: str, kind: str) -> str:
    """kubeconform's `{kind}-{group0}-{version}.json` naming, lowercase."""
    group, _, version = api_version.rpartition("/")
    suffix = f"-{group.split('.')[0]}" if group else ""
    return f"{kind}{suffix}-{version}.json".lower()


def _folder(version: str, strict: bool) -> str:
    return os.path.join(schema_root(), f"v{version}.0-local" + ("-strict" if strict else ""))


@cache
def _definitions(version: str, strict: bool) -> dict[str, JsonObject]:
    with open(os.path.join(_folder(version, strict), "_definitions.json"), encoding="utf-8") as f:
        loaded: dict[str, dict[str, JsonObject]] = json.load(f)
    return loaded["$defs"]


@cache
def kind_schema(key: SchemaKey) -> JsonObject | None:
    """The standalone schema for one kind, or None when the version has no such kind."""
    path = os.path.join(_folder(key.version, key.strict), file_name(key.api_version, key.kind))
    try:
        with open(path, encoding="utf-8") as handle:
            schema: JsonObject = json.load(handle)
    except FileNotFoundError:
        return None
    if not _names_kind(schema, key):
        return None  # the file exists for a sub-type of the same name, not a top-level kind
    return bundle(schema, _definitions(key.version, key.strict))


def schema_file(version: str, strict: bool, name: str) -> JsonObject | None:
    """The standalone schema stored as `name` (`deployment-apps-v1.json`), whatever kind it
    describes: kubeconform's offline lookup by file name. A name that is not a plain file
    name (a separator, a leading dot) names nothing."""
    if not name or "/" in name or "\\" in name or "\0" in name or name.startswith("."):
        return None
    try:
        with open(os.path.join(_folder(version, strict), name), encoding="utf-8") as handle:
            schema: JsonObject = json.load(handle)
    except (OSError, ValueError):
        return None
    return bundle(schema, _definitions(version, strict)) if isinstance(schema, dict) else None


def _names_kind(schema: JsonObject, key: SchemaKey) -> bool:
    properties = schema.get("properties")
    kind = properties.get("kind") if isinstance(properties, dict) else None
    enum = kind.get("enum") if isinstance(kind, dict) else None
    return isinstance(enum, list) and key.kind in enum


def bundle(schema: JsonObject, definitions: dict[str, JsonObject]) -> JsonObject:
    """`schema` with the definitions it reaches inlined under `$defs`, refs made local."""
    needed: dict[str, JsonObject] = {}
    pending = _refs(schema)
    while pending:
        name = pending.pop()
        if name in needed or name not in definitions:
            continue
        needed[name] = definitions[name]
        pending.extend(_refs(definitions[name]))
    text = json.dumps({**schema, "$defs": needed}).replace(_REF, "#/$defs/")
    standalone: JsonObject = json.loads(text)
    standalone.pop("$id", None)
    return standalone


def _refs(node: object) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                for prefix in (_REF, _LOCAL_REF):
                    if ref.startswith(prefix):
                        found.append(ref[len(prefix):])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def bundle_all(version: str, strict: bool) -> list[tuple[str, JsonObject]]:
    """Every top-level kind's standalone schema for one version, with its file name."""
    folder = _folder(version, strict)
    found = []
    for name in sorted(os.listdir(folder)):
        if name.startswith("_") or name == "all.json" or not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            schema: JsonObject = json.load(handle)
        properties = schema.get("properties")
        kind = properties.get("kind") if isinstance(properties, dict) else None
        if isinstance(kind, dict) and isinstance(kind.get("enum"), list):
            found.append((name, bundle(schema, _definitions(version, strict))))
    return found
