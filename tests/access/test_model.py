"""The access model against Kubernetes' RBAC semantics, case by case (rbac_cases.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mcgen.access.model import cluster_access
from mcgen.access.policy import Request
from mcgen.access.subjects import parse_subject
from mcgen.objects import ObjectRef

CASES = yaml.safe_load((Path(__file__).parent / "rbac_cases.yaml").read_text())["cases"]


def _request(verb: str, resource: str, name: str) -> Request:
    """The suite writes `group/resource` for non-core groups, `/path` for a URL."""
    if resource.startswith("/"):
        return Request(verb, url=resource)
    head, _, rest = resource.partition("/")
    if rest and ("." in head or head == "apps"):
        return Request(verb, rest, head, name)
    return Request(verb, resource, "", name)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    bodies = [b for b in yaml.safe_load_all(case["objects"]) if b]
    access = cluster_access("c", case.get("version", "1.31"),
                            [(ObjectRef.of(b), b) for b in bodies])
    wrong = []
    for subject, verb, resource, name, namespace, expected in case["can"]:
        parsed = parse_subject(subject)
        assert parsed is not None, subject
        got = access.allows(parsed, _request(verb, resource, name), namespace)
        if got != expected:
            wrong.append(f"{subject} {verb} {resource} {name!r} in {namespace!r}: "
                         f"got {got}, Kubernetes says {expected}")
    assert not wrong, "\n".join(wrong)
    missing = sorted([str(m.binding), str(m.role)] for m in access.missing)
    assert missing == sorted(case.get("missing", []))


def test_request_parsing_of_the_suite() -> None:
    assert _request("get", "apps/deployments", "w") == Request("get", "deployments", "apps", "w")
    assert _request("get", "pods/exec", "w") == Request("get", "pods/exec", "", "w")
    assert _request("get", "widgets.example.com/widgets", "") == \
        Request("get", "widgets", "widgets.example.com", "")
