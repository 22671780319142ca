"""The core kinds that run pods: what the container rules look inside."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mcgen.lint.subject import LintObject, Subject, iter_containers, pod_spec
from mcgen.yaml.source import PathKey

WORKLOAD_KINDS = frozenset({
    "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
    "Job", "CronJob",
})


def is_workload(obj: LintObject) -> bool:
    """A core workload: custom kinds with a `spec.template.spec` are not pods."""
    group = obj.ref.group
    return obj.ref.kind in WORKLOAD_KINDS and group in ("", "apps", "batch")


def workloads(subject: Subject) -> tuple[LintObject, ...]:
    """The subject's core workloads, in order: found once for the rules that need them."""
    found = subject.memo.get("workloads")
    if not isinstance(found, tuple):
        found = subject.memo["workloads"] = tuple(o for o in subject.objects if is_workload(o))
    return found


def workload_pod(obj: LintObject) -> tuple[PathKey, dict[str, object]] | None:
    return pod_spec(obj.body) if is_workload(obj) else None


def workload_containers(obj: LintObject) -> Iterator[tuple[PathKey, Mapping[str, object]]]:
    if is_workload(obj):
        yield from iter_containers(obj.body)


def container_name(container: Mapping[str, object]) -> str:
    return str(container.get("name") or "(unnamed)")
