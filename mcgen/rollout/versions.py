"""What version of a component each cluster runs: container image tags and Helm chart
versions (the `helm.sh/chart` label Helm charts put on their objects), compared as
versions. A tag that is no version (`latest`, `stable`, a digest) is not compared."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from mcgen.lint.subject import LintObject, Subject
from mcgen.lint.workloads import workload_containers, workloads
from mcgen.yaml.source import PathKey

_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)(?:[-+.]?(.*))?$")
_PRERELEASE = re.compile(r"(rc|alpha|beta|pre|dev)", re.IGNORECASE)  # not `alpine`
CHART_LABEL = "helm.sh/chart"
Version = tuple[tuple[int, ...], int, str]


@dataclass(frozen=True)
class Running:
    """One versioned thing a cluster runs for a component, and where it is written."""

    cluster: str
    component: str
    what: str  # "image registry.example.com/web" or "chart cert-manager"
    version: str
    obj: LintObject
    at: PathKey


@lru_cache(maxsize=4096)  # a fleet has few distinct versions and many objects
def parse_version(text: str) -> Version | None:
    """(numbers, 1 for a release or 0 for a pre-release, the rest) or None."""
    found = _VERSION.match(text)
    if not found:
        return None
    numbers = tuple(int(n) for n in found.group(1).split("."))
    rest = found.group(2) or ""
    return numbers + (0,) * (4 - len(numbers)), 0 if _PRERELEASE.match(rest) else 1, rest


def running(subject: Subject) -> Iterator[Running]:
    """Every image tag and chart version on every cluster, by component."""
    for obj in workloads(subject):
        for at, container in workload_containers(obj):
            image = container.get("image")
            if isinstance(image, str) and "@" not in image and obj.cluster and obj.component:
                name, _, tag = image.rpartition(":")
                if name and "/" not in tag:
                    yield Running(obj.cluster, obj.component, f"image {name}", tag, obj,
                                  (*at, "image"))
    for obj in subject.objects:
        chart = obj.labels.get(CHART_LABEL)
        if isinstance(chart, str) and obj.cluster and obj.component:
            name, _, version = chart.rpartition("-")
            if name and parse_version(version):
                yield Running(obj.cluster, obj.component, f"chart {name}", version, obj,
                              ("metadata", "labels", CHART_LABEL))
