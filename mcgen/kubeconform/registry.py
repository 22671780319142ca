"""Where schemas come from: kubeconform's schema locations, answered offline.

`default` (and kubeconform's default registry URL) is the offline store shipped by the
`kubernetes-validate` package. Local paths and path templates are read from disk. Other
http(s) locations are never fetched: they miss, unless the `-cache` folder holds the
schema under kubeconform's cache name (the SHA-256 of the URL).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field

import jsonschema_rs

from mcgen.schemas.kubernetes import available_versions, schema_file, supported_version

DEFAULT_URL = ("https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/"
               "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/"
               "{{ .ResourceKind }}{{ .KindSuffix }}.json")
SUFFIX = ("/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/"
          "{{ .ResourceKind }}{{ .KindSuffix }}.json")
TEMPLATE_VARIABLES = ("NormalizedKubernetesVersion", "StrictSuffix", "ResourceKind",
                      "ResourceAPIVersion", "Group", "KindSuffix")
_VARIABLE = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")


def variables(kind: str, api_version: str, k8s_version: str, strict: bool) -> dict[str, str]:
    """The template's variables as kubeconform's `registry.go` (`schemaPath`) computes them:
    the suffix is the group's first dotted part and the second `/` part, so an apiVersion
    with extra segments (`apps/v1/extra`) names `-apps-v1`; the kind is lowercased."""
    parts = api_version.split("/")
    suffix = "-" + parts[0].split(".")[0].lower()
    if len(parts) > 1:
        suffix += "-" + parts[1].lower()
    return {
        "NormalizedKubernetesVersion": "master" if k8s_version == "master"
        else "v" + k8s_version.removeprefix("v"),
        "StrictSuffix": "-strict" if strict else "",
        "ResourceKind": kind.lower(),
        "ResourceAPIVersion": parts[-1],
        "Group": parts[0],
        "KindSuffix": suffix,
    }


def expand(template: str, values: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), template)


@dataclass
class Registry:
    locations: list[str]
    k8s_version: str
    strict: bool
    cache: str = ""
    notes: list[str] = field(default_factory=list)
    _compiled: dict[tuple[str, str], jsonschema_rs.Validator | None] = field(
        default_factory=dict)

    def validator(self, kind: str, api_version: str) -> jsonschema_rs.Validator | None:
        key = (kind, api_version)
        if key not in self._compiled:
            self._compiled[key] = self._find(kind, api_version)
        return self._compiled[key]

    def _find(self, kind: str, api_version: str) -> jsonschema_rs.Validator | None:
        values = variables(kind, api_version, self.k8s_version, self.strict)
        for location in self.locations or ["default"]:
            schema = self._load(location, values, kind, api_version)
            if schema is not None:
                try:
                    return jsonschema_rs.validator_for(schema)
                except (ValueError, jsonschema_rs.ValidationError):
                    continue  # a schema that does not compile: try the next location
        return None

    def _load(self, location: str, values: dict[str, str], kind: str, api_version: str
              ) -> dict[str, object] | None:
        if location in ("default", DEFAULT_URL):
            return self._offline(values)
        if not location.endswith("json"):
            location = location.rstrip("/") + SUFFIX
        target = expand(location, values)
        if target.startswith(("http://", "https://")):
            return self._cached(target)
        return _read_json(target)

    def _offline(self, values: dict[str, str]) -> dict[str, object] | None:
        """The default location's file, `{{ .ResourceKind }}{{ .KindSuffix }}.json`, read
        from the offline set and used whatever kind it describes, as kubeconform uses what
        its URL returns: `kind: deployment` gets Deployment's schema (whose `kind` enum then
        refuses it), `apps/v1/extra` gets apps/v1's (whose `apiVersion` enum refuses it)."""
        version = self.k8s_version.removeprefix("v")
        # The offline set covers 1.25-1.37: other versions use the nearest one.
        minor = available_versions()[-1] if version == "master" else supported_version(version)
        return schema_file(minor, self.strict,
                           values["ResourceKind"] + values["KindSuffix"] + ".json")

    def _cached(self, url: str) -> dict[str, object] | None:
        if self.cache:
            found = _read_json(os.path.join(self.cache, hashlib.sha256(url.encode()).hexdigest()))
            if found is not None:
                return found
        note = f"{url}: not fetched (mcgen works offline); treated as missing"
        if note not in self.notes:
            self.notes.append(note)
        return None


def _read_json(path: str) -> dict[str, object] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            loaded = json.load(handle)
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None
