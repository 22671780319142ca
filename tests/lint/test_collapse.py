"""One problem on many clusters prints once, with the count and the first names."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from policies.policyrepo import write_repo

from mcgen.collapse import clusters_text, collapse_findings, collapse_problems
from mcgen.errors import InputError
from mcgen.findings import Finding, Severity
from mcgen.location import Location, Problem

CLUSTERS = [f"c{n:02d}" for n in range(12)]
FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  clusters:
""" + "".join(f'    - {{name: {c}, region: us-east-1, kubernetesVersion: "1.31"}}\n'
              for c in CLUSTERS) + """\
  components:
    - {name: app, template: app, namespace: app, placement: {selector: {matchLabels: {}}}}
"""


def test_clusters_text() -> None:
    assert clusters_text(["a"]) == "1 cluster: 'a'"
    assert clusters_text(["a", "b", "c"]) == "3 clusters: 'a', 'b', 'c'"
    assert clusters_text(["a", "b", "c", "d", "e"], other=True) == (
        "5 other clusters: 'a', 'b', 'c' and 2 more")


def test_problems_differing_only_in_the_cluster_fold() -> None:
    where = Location("templates/app/a.yaml.j2", 3, 1)
    problems = [Problem(where, f"rendered object has no kind (cluster {c!r})")
                for c in ("b", "a", "c", "d")]
    problems.append(Problem(where, "another problem"))
    problems.append(Problem(Location("templates/app/b.yaml.j2", 1, 1),
                            "rendered object has no kind (cluster 'a')"))
    assert [str(p) for p in collapse_problems(problems)] == [
        "templates/app/a.yaml.j2:3:1: error: rendered object has no kind (4 clusters: 'b', "
        "'a', 'c' and 1 more)",
        "templates/app/a.yaml.j2:3:1: error: another problem",
        "templates/app/b.yaml.j2:1:1: error: rendered object has no kind (cluster 'a')",
    ]
    assert len(InputError(problems).problems) == 6  # every problem kept for machines


def _finding(cluster: str, message: str = "bad", line: int = 3) -> Finding:
    return Finding("schema", Severity.ERROR, message,
                   Location(f"clusters/{cluster}/app/configmap-x.yaml", line, 1),
                   (("template", Location("templates/app/a.yaml.j2", 2, 1)),
                    ("fleet", Location("fleets/t.yaml", 9, 7))), f"{cluster}/app")


def test_findings_of_one_template_line_fold_but_different_ones_do_not() -> None:
    found = [_finding("a"), _finding("b"), _finding("c", "other"), _finding("d", line=4),
             Finding("schema", Severity.ERROR, "bad", Location("x.yaml", 3, 1))]
    shown = collapse_findings(found)
    assert [(s.finding.location.path, s.also) for s in shown] == [
        ("clusters/a/app/configmap-x.yaml", ("b",)),
        ("clusters/c/app/configmap-x.yaml", ()),
        ("clusters/d/app/configmap-x.yaml", ()),
        ("x.yaml", ()),
    ]
    assert str(shown[0]).endswith("\n    and the same on 1 other cluster: 'b'")


def test_a_template_error_on_twelve_clusters_is_one_line(tmp_path: Path) -> None:
    write_repo(tmp_path, FLEET, {"app": {"a.yaml.j2": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {n: 1}\n")}})
    result = run_cli("lint", "--select", "schema", cwd=tmp_path)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if "[schema]" in line]
    assert len(lines) == 1, result.out
    assert lines[0].startswith("clusters/c00/app/configmap-x.yaml:")
    assert ("    and the same on 11 other clusters: 'c01', 'c02', 'c03' and 8 more"
            in result.out)
    assert "12 errors" in result.out  # the count still counts every finding
    json_out = run_cli("lint", "--select", "schema", "--format", "json", cwd=tmp_path).out
    assert json_out.count('"rule": "schema"') == 12
