"""Kubernetes API versions deprecated and removed, by release (from the official guide).

Each entry: (group/version, kind or "*", deprecated in, removed in, replacement).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple


class ApiLifecycle(NamedTuple):
    api_version: str
    kind: str  # "*" for every kind of that group/version
    deprecated: str
    removed: str
    replacement: str


def _entries(api_version: str, kinds: str, deprecated: str, removed: str, replacement: str
             ) -> list[ApiLifecycle]:
    return [ApiLifecycle(api_version, kind, deprecated, removed, replacement)
            for kind in kinds.split()]


_WORKLOADS = "Deployment DaemonSet ReplicaSet StatefulSet"
_RBAC = "ClusterRole ClusterRoleBinding Role RoleBinding"
_WEBHOOKS = "MutatingWebhookConfiguration ValidatingWebhookConfiguration"
_REVIEWS = "SubjectAccessReview LocalSubjectAccessReview SelfSubjectAccessReview"
_FLOW = "FlowSchema PriorityLevelConfiguration"

LIFECYCLES: tuple[ApiLifecycle, ...] = tuple([
    *_entries("extensions/v1beta1", _WORKLOADS, "1.9", "1.16", "apps/v1"),
    *_entries("apps/v1beta1", _WORKLOADS, "1.9", "1.16", "apps/v1"),
    *_entries("apps/v1beta2", _WORKLOADS, "1.9", "1.16", "apps/v1"),
    *_entries("extensions/v1beta1", "NetworkPolicy", "1.9", "1.16", "networking.k8s.io/v1"),
    *_entries("extensions/v1beta1", "PodSecurityPolicy", "1.11", "1.16", "policy/v1beta1"),
    *_entries("extensions/v1beta1", "Ingress", "1.14", "1.22", "networking.k8s.io/v1"),
    *_entries("networking.k8s.io/v1beta1", "Ingress IngressClass", "1.19", "1.22",
              "networking.k8s.io/v1"),
    *_entries("admissionregistration.k8s.io/v1beta1", _WEBHOOKS, "1.16", "1.22",
              "admissionregistration.k8s.io/v1"),
    *_entries("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.16", "1.22",
              "apiextensions.k8s.io/v1"),
    *_entries("apiregistration.k8s.io/v1beta1", "APIService", "1.19", "1.22",
              "apiregistration.k8s.io/v1"),
    *_entries("authentication.k8s.io/v1beta1", "TokenReview", "1.19", "1.22",
              "authentication.k8s.io/v1"),
    *_entries("authorization.k8s.io/v1beta1", _REVIEWS, "1.19", "1.22",
              "authorization.k8s.io/v1"),
    *_entries("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.19", "1.22",
              "certificates.k8s.io/v1"),
    *_entries("coordination.k8s.io/v1beta1", "Lease", "1.19", "1.22", "coordination.k8s.io/v1"),
    *_entries("rbac.authorization.k8s.io/v1beta1", _RBAC, "1.17", "1.22",
              "rbac.authorization.k8s.io/v1"),
    *_entries("scheduling.k8s.io/v1beta1", "PriorityClass", "1.14", "1.22",
              "scheduling.k8s.io/v1"),
    *_entries("storage.k8s.io/v1beta1", "CSIDriver CSINode StorageClass VolumeAttachment",
              "1.19", "1.22", "storage.k8s.io/v1"),
    *_entries("batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1"),
    *_entries("discovery.k8s.io/v1beta1", "EndpointSlice", "1.21", "1.25", "discovery.k8s.io/v1"),
    *_entries("events.k8s.io/v1beta1", "Event", "1.19", "1.25", "events.k8s.io/v1"),
    *_entries("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "1.25", "autoscaling/v2"),
    *_entries("policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1"),
    *_entries("policy/v1beta1", "PodSecurityPolicy", "1.21", "1.25",
              "no replacement: use Pod Security Admission"),
    *_entries("node.k8s.io/v1beta1", "RuntimeClass", "1.20", "1.25", "node.k8s.io/v1"),
    *_entries("flowcontrol.apiserver.k8s.io/v1beta1", _FLOW, "1.23", "1.26",
              "flowcontrol.apiserver.k8s.io/v1"),
    *_entries("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.23", "1.26", "autoscaling/v2"),
    *_entries("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1"),
    *_entries("flowcontrol.apiserver.k8s.io/v1beta2", _FLOW, "1.26", "1.29",
              "flowcontrol.apiserver.k8s.io/v1"),
    *_entries("flowcontrol.apiserver.k8s.io/v1beta3", _FLOW, "1.29", "1.32",
              "flowcontrol.apiserver.k8s.io/v1"),
])


def minor(version: str) -> tuple[int, int]:
    """"1.31" or "1.31.2" as (1, 31); anything unparsable sorts first."""
    parts = version.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return (0, 0)


@cache  # a fleet has few (apiVersion, kind) pairs and many objects
def lifecycle(api_version: str, kind: str) -> ApiLifecycle | None:
    for entry in LIFECYCLES:
        if entry.api_version == api_version and entry.kind in (kind, "*"):
            return entry
    return None
