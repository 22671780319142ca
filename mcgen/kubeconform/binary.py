"""The real `kubeconform` binary, when one is installed, fed the same offline schemas."""

from __future__ import annotations

import json
import os
import subprocess

from mcgen.kubeconform.flags import Options
from mcgen.schemas.kubernetes import available_versions, bundle_all

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "mcgen", "kubeconform-schemas")
LOCATION = "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/" \
           "{{ .ResourceKind }}{{ .KindSuffix }}.json"


def export_schemas(folder: str, version: str, strict: bool) -> str:
    """Write standalone schemas for one version in kubeconform's layout; returns the folder."""
    suffix = "-strict" if strict else ""
    target = os.path.join(folder, f"v{version}.0-standalone{suffix}")
    marker = os.path.join(target, ".complete")
    if os.path.exists(marker):
        return target
    os.makedirs(target, exist_ok=True)
    for name, schema in bundle_all(version, strict):
        with open(os.path.join(target, name), "w", encoding="utf-8") as handle:
            json.dump(schema, handle)
    with open(marker, "w", encoding="utf-8") as handle:
        handle.write("ok\n")
    return target


def run_binary(binary: str, argv: list[str], options: Options) -> int:
    version = options.kubernetes_version.removeprefix("v")
    minor = available_versions()[-1] if version == "master" else ".".join(version.split(".")[:2])
    if minor in available_versions() and not options.schema_locations:
        export_schemas(CACHE, minor, options.strict)
        location = os.path.join(CACHE, LOCATION)
        argv = ["-schema-location", location, "-kubernetes-version", f"{minor}.0", *argv]
    return subprocess.run([binary, *argv], check=False).returncode
