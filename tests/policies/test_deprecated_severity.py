"""deprecated-api: removed is an error, deprecated a warning, judged per cluster version."""

from __future__ import annotations

from pathlib import Path

import yaml
from policyrepo import lint_repo, write_repo

from mcgen.findings import Severity

SUITE = yaml.safe_load((Path(__file__).parent / "cases" / "core_rules.yaml").read_text())


def test_severity_follows_each_clusters_version(tmp_path: Path) -> None:
    case = next(c for c in SUITE["cases"]
                if c["name"] == "removed-on-one-cluster-deprecated-on-the-other")
    write_repo(tmp_path, SUITE["fleet"], case["templates"])
    found = {(f.location.path.split("/")[1], f.location.path.split("/")[2]): f
             for f in lint_repo(tmp_path, ("deprecated-api",))}
    assert found[("old", "app")].severity is Severity.WARNING
    assert "removed in 1.25" in found[("old", "app")].message
    assert found[("new", "app")].severity is Severity.ERROR
    assert "use policy/v1" in found[("new", "app")].message
    assert found[("new", "other")].severity is Severity.ERROR
    assert "autoscaling/v2" in found[("new", "other")].message
