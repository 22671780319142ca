"""What a chart sees as `.Capabilities` on one cluster.

Helm's engine knows a fixed built-in list of API versions whatever `kube_version` says
(`policy/v1beta1` is there at every version, `autoscaling/v2beta2` at none), and adds the
ones it is given. So mcgen gives it the cluster's own: the group/versions and
group/version/kinds of that Kubernetes minor version's OpenAPI, as shipped by the
`kubernetes-validate` package (1.25-1.37; other versions take the nearest), less alpha
versions (an API server serves those only when a feature gate enables them), plus every
version of every CRD the fleet knows (`spec.lint.crds`), in both forms. Only the
group/version form makes `.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"` true.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from mcgen.schemas.kubernetes import schema_root, supported_version

_ALPHA = re.compile(r"v\d+alpha\d+$")


class Capabilities(NamedTuple):
    kube_version: str  # "v1.31.0"
    api_versions: tuple[str, ...]  # sorted: "apps/v1", "apps/v1/Deployment", ...

    @property
    def minor(self) -> str:
        """"1.31" of "v1.31.0"."""
        return ".".join(self.kube_version.lstrip("v").split(".")[:2])


def kube_version(cluster_version: str) -> str:
    """A cluster's `kubernetesVersion` ("1.31", "1.31.4", "v1.31") as Helm wants it."""
    parts = cluster_version.strip().lstrip("v").split(".")
    while len(parts) < 3:
        parts.append("0")
    return "v" + ".".join(parts[:3])


@cache
def served(minor: str) -> tuple[str, ...]:
    """The built-in API versions a cluster of Kubernetes `minor` serves, both forms."""
    folder = os.path.join(schema_root(), f"v{supported_version(minor)}.0-local")
    with open(os.path.join(folder, "_definitions.json"), encoding="utf-8") as handle:
        definitions = json.load(handle)["$defs"]
    found: set[str] = set()
    for name, schema in definitions.items():
        if name.startswith("io.k8s.apimachinery"):
            continue  # meta types list every group/version ever, removed ones too
        for gvk in schema.get("x-kubernetes-group-version-kind") or ():
            version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            if _ALPHA.search(version) or gvk["kind"].endswith("List"):
                continue
            found.update((version, f"{version}/{gvk['kind']}"))
    return tuple(sorted(found))


def for_cluster(cluster_version: str, crd_versions: Iterable[tuple[str, str]] = ()
                ) -> Capabilities:
    """A cluster's capabilities: its version's served APIs plus the fleet's CRDs,
    each given as (group/version, kind)."""
    version = kube_version(cluster_version)
    extra = {form for api, kind in crd_versions for form in (api, f"{api}/{kind}")}
    minor = ".".join(version.lstrip("v").split(".")[:2])
    return Capabilities(version, tuple(sorted(set(served(minor)) | extra)))
