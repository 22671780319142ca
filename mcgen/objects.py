"""Identity of Kubernetes objects, and the few facts about kinds mcgen needs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

# Kinds with no namespace; objects of other kinds get their component's namespace.
CLUSTER_SCOPED = frozenset({
    "APIService", "CertificateSigningRequest", "ClusterIssuer", "ClusterRole",
    "ClusterRoleBinding", "ComponentStatus", "CSIDriver", "CSINode",
    "CustomResourceDefinition", "FlowSchema", "IngressClass", "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding", "MutatingWebhookConfiguration", "Namespace", "Node",
    "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration",
    "RuntimeClass", "StorageClass", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration", "VolumeAttachment",
    "ClusterPolicy", "ClusterSecretStore", "DeviceClass", "ResourceSlice",
    "StorageVersionMigration", "IPAddress", "ServiceCIDR", "VolumeAttributesClass",
})


class ObjectRef(NamedTuple):
    """apiVersion/kind/namespace/name: what makes two objects the same object."""

    api_version: str
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"

    @classmethod
    def of(cls, body: Mapping[str, object]) -> ObjectRef:
        meta = body.get("metadata")
        meta = meta if isinstance(meta, Mapping) else {}
        return cls(str(body.get("apiVersion", "")), str(body.get("kind", "")),
                   str(meta.get("namespace") or ""), str(meta.get("name") or ""))

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""


_UNSAFE = re.compile(r"[^a-z0-9.-]+")


@lru_cache(maxsize=8192)  # a fleet's clusters name the same objects
def file_stem(kind: str, name: str) -> str:
    """`<kind>-<name>` as a safe file name: lowercase, no separators or dot-only names."""
    stem = _UNSAFE.sub("-", f"{kind}-{name}".lower()).strip(".-")
    return stem[:200] or "object"
