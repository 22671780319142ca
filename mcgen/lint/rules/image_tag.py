"""image-tag: a container image with no tag or the tag `latest`.

`nginx` and `nginx:latest` name whatever was pushed last: two clusters (or two replicas
of one group) pulling at different times run different code from the same manifest, and
a rollback re-pulls the broken image. Pin a version tag (`nginx:1.27.2`) or, better, a
digest (`nginx@sha256:...`); digests are always fine. The finding sits on `image`.

Example finding:

    clusters/us-east/storefront/deployment-storefront.yaml:29:9: error: container
    'storefront' of Deployment shop/storefront uses image 'registry.example.com/storefront'
    with no tag, which means 'latest'; pin a version tag or a digest [image-tag]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject
from mcgen.lint.workloads import container_name, workload_containers, workloads

ID = "image-tag"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]


def check(subject: Subject) -> Iterator[Finding]:
    for obj in workloads(subject):
        for at, container in workload_containers(obj):
            image = container.get("image")
            problem = _problem(image) if isinstance(image, str) else None
            if problem:
                yield subject.finding(
                    _RULE, obj, f"container {container_name(container)!r} of {obj.ref} uses "
                    f"image {image!r} {problem}; pin a version tag or a digest",
                    (*at, "image"))


def tag_of(image: str) -> str | None:
    """The tag of `image`, None when it has none; a registry port is not a tag."""
    last = image.rpartition("/")[2]
    return last.partition(":")[2] if ":" in last else None


def _problem(image: str) -> str:
    if not image or "@" in image or "{{" in image:
        return ""
    tag = tag_of(image)
    if tag is None:
        return "with no tag, which means 'latest'"
    return "tagged 'latest', which moves" if tag == "latest" else ""
