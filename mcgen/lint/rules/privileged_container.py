"""privileged-container: a pod that can take over its node.

Each of these gives a pod's processes the node itself, and with it every other pod on
the node and the node's credentials:

- a container with `securityContext.privileged: true`;
- a `hostPath` volume (the node's file system);
- `hostNetwork`, `hostPID` or `hostIPC: true` on the pod.

Some system agents (CNI plugins, node exporters, storage drivers) need one of them: say
so on the object, e.g. `mcgen.dev/ignore: "privileged-container: CSI node plugin"`. The
finding sits on the offending field; core workload kinds only (Pod, Deployment,
StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob).

Example finding:

    clusters/eu-west/monitoring-agent/daemonset-monitoring-agent.yaml:25:7: error:
    DaemonSet monitoring/monitoring-agent uses the node's network (hostNetwork: true),
    which exposes the node to the pod; drop it, or suppress with the reason
    [privileged-container]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import LintObject, Subject
from mcgen.lint.workloads import container_name, workload_containers, workload_pod, workloads

ID = "privileged-container"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]

HOST_NAMESPACES = {"hostNetwork": "network", "hostPID": "process table",
                   "hostIPC": "shared memory"}


def check(subject: Subject) -> Iterator[Finding]:
    for obj in workloads(subject):
        yield from _pod(subject, obj)
        for at, container in workload_containers(obj):
            context = container.get("securityContext")
            if isinstance(context, dict) and context.get("privileged") is True:
                yield subject.finding(
                    _RULE, obj, f"{obj.ref}: container {container_name(container)!r} runs "
                    "privileged, with every device and capability of the node; drop "
                    "`privileged` and add only the capabilities it needs",
                    (*at, "securityContext", "privileged"))


def _pod(subject: Subject, obj: LintObject) -> Iterator[Finding]:
    found = workload_pod(obj)
    if found is None:
        return
    at, pod = found
    for key, what in HOST_NAMESPACES.items():
        if pod.get(key) is True:
            yield subject.finding(
                _RULE, obj, f"{obj.ref} uses the node's {what} ({key}: true), which exposes "
                "the node to the pod; drop it, or suppress with the reason", (*at, key))
    volumes = pod.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(volume, dict) and "hostPath" in volume:
            path = volume["hostPath"].get("path") if isinstance(volume["hostPath"], dict) else ""
            yield subject.finding(
                _RULE, obj, f"{obj.ref} mounts the node's file system (hostPath {path!r} in "
                f"volume {volume.get('name')!r}); use a PersistentVolumeClaim, a ConfigMap or "
                "an emptyDir instead", (*at, "volumes", index, "hostPath"))
