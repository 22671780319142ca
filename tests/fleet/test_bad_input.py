"""Each class of bad input: exit 2, `file:line:col`, every problem at once, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, snapshot

SPEC = "fleets/acme.yaml"


def edit(repo: Path, path: str, old: str, new: str) -> None:
    target = repo / path
    text = target.read_text()
    assert old in text, f"{old!r} not in {path}"
    target.write_text(text.replace(old, new, 1))


def line_of(repo: Path, path: str, needle: str) -> int:
    lines = (repo / path).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


CASES = {
    # name: (file, old, new, expected location "file:line", words in the message)
    "bad-yaml": (SPEC, "      wave: 1\n", "      wave: [1\n",
                 (SPEC, "labels: {tier: performance}"), "began at line 39"),
    "duplicate-key": (SPEC, "      wave: 1\n", "      wave: 1\n      wave: 2\n",
                      (SPEC, "      wave: 2"), "duplicate key"),
    "wrong-type": (SPEC, "      wave: 1\n", "      wave: first\n", (SPEC, "wave: first"),
                   "not of type 'integer'"),
    "unknown-group": (SPEC, "placement: {groups: [us-web]}", "placement: {groups: [us-mobile]}",
                      (SPEC, "us-mobile"), "unknown group 'us-mobile'"),
    "unknown-dependency": (SPEC, "dependsOn: [{component: accounts}]",
                           "dependsOn: [{component: acounts}]", (SPEC, "acounts"),
                           "unknown component 'acounts' (did you mean 'accounts'?)"),
    "unknown-cluster": (SPEC, "placement: {clusters: [eu-west]}",
                        "placement: {clusters: [eu-wset]}", (SPEC, "eu-wset"),
                        "unknown cluster 'eu-wset' (did you mean 'eu-west'?)"),
    "unknown-data-class": (SPEC, "      dataClass: personal-eu\n",
                           "      dataClass: personal-ue\n", (SPEC, "personal-ue"),
                           "unknown data class 'personal-ue' (did you mean 'personal-eu'?)"),
    "path-name": (SPEC, "    - name: us-west\n", "    - name: ../x\n", (SPEC, "name: ../x"),
                  "not a valid name"),
    "unknown-field": (SPEC, "      provider: aws\n      kubernetesVersion: \"1.31\"\n",
                      "      provider: aws\n      kubernetesVersion: \"1.31\"\n      flavour: x\n",
                      (SPEC, "flavour: x"), "unknown field 'flavour'"),
    "misspelt-field": (SPEC, "      provider: aws\n", "      provder: aws\n",
                       (SPEC, "provder: aws"),
                       "unknown field 'provder' (did you mean 'provider'? known fields:"),
    "region-in-no-zone": (SPEC, "region: eu-west-1", "region: ap-south-1",
                          (SPEC, "region: ap-south-1"), "in no zone"),
    "dependency-cycle": (SPEC, "      dataClass: personal-eu\n",
                         "      dataClass: personal-eu\n"
                         "      dependsOn: [{component: storefront}]\n",
                         (SPEC, "dependsOn: [{component: storefront}]"), "dependency cycle"),
    "template-syntax": ("templates/storefront/service.yaml.j2", "  name: storefront\n",
                        "  name: {{ component.name | }}\n",
                        ("templates/storefront/service.yaml.j2", "{{ component.name"),
                        "template syntax error"),
    "undefined-variable": ("templates/accounts/service.yaml.j2", "{{ component.expose.port }}",
                           "{{ values.missingPort }}",
                           ("templates/accounts/service.yaml.j2", "missingPort"), "undefined"),
    "rendered-yaml": ("templates/storefront/pdb.yaml.j2", "  minAvailable: 1\n",
                      "  minAvailable: 1\n minAvailable: 2\n",
                      ("templates/storefront/pdb.yaml.j2", " minAvailable: 2"),
                      "rendered YAML is invalid"),
    # spec.rollout (FLEET-SPEC §10)
    "unknown-time-zone": (SPEC, "    maxClustersPerChange: 0\n",
                          "    maxClustersPerChange: 0\n    timeZone: Mars/Olympus\n",
                          (SPEC, "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
    "bad-soak": (SPEC, "    maxClustersPerChange: 0\n",
                 "    maxClustersPerChange: 0\n    soak: a day\n", (SPEC, "soak: a day"),
                 "does not match"),
    "freeze-ends-first": (SPEC, "    maxClustersPerChange: 0\n",
                          "    maxClustersPerChange: 0\n    freeze:\n"
                          "      - {from: '2026-12-24', to: '2026-12-20', waves: [1], "
                          "reason: holidays}\n", (SPEC, "2026-12-24"), "ends before it starts"),
    "freeze-bad-time": (SPEC, "    maxClustersPerChange: 0\n",
                        "    maxClustersPerChange: 0\n    freeze:\n"
                        "      - {from: 'Christmas', to: '2026-12-27', zones: [us], "
                        "reason: holidays}\n", (SPEC, "Christmas"), "not an ISO 8601 time"),
    "freeze-unknown-cluster": (SPEC, "    maxClustersPerChange: 0\n",
                               "    maxClustersPerChange: 0\n    freeze:\n"
                               "      - {from: '2026-12-24', to: '2026-12-27', "
                               "clusters: [us-north], reason: holidays}\n",
                               (SPEC, "us-north"), "cluster 'us-north', which the fleet"),
}


@pytest.mark.parametrize("command", [("render",), ("render", "--check"), ("lint",)])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_with_a_location_and_writes_nothing(
        case: str, command: tuple[str, ...], example_repo: Path) -> None:
    path, old, new, (where, needle), words = CASES[case]
    edit(example_repo, path, old, new)
    before = snapshot(example_repo)
    result = run_cli(*command, cwd=example_repo)
    assert result.code == 2, result.out + result.err
    assert f"{where}:{line_of(example_repo, where, needle)}:" in result.err, result.err
    assert words in result.err
    assert "Traceback" not in result.err
    assert snapshot(example_repo) == before


def test_every_problem_is_reported_in_one_run(example_repo: Path) -> None:
    edit(example_repo, SPEC, "      wave: 2\n", "      wave: two\n")
    edit(example_repo, SPEC, "placement: {clusters: [eu-west]}", "placement: {clusters: [eu-wes]}")
    edit(example_repo, SPEC, "    - name: us-west\n", "    - name: US_West\n")
    result = run_cli("render", cwd=example_repo)
    assert result.code == 2
    assert "wave" in result.err and "US_West" in result.err
    # Semantic checks run once the schema passes; schema errors are all listed together.
    assert len([line for line in result.err.splitlines() if ": error: " in line]) >= 2


def test_undefined_name_in_a_template_names_the_template_line(example_repo: Path) -> None:
    edit(example_repo, "templates/storefront/deployment.yaml.j2",
         "{{ values.version }}", "{{ values.verison }}")
    result = run_cli("render", cwd=example_repo)
    line = line_of(example_repo, "templates/storefront/deployment.yaml.j2", "verison")
    assert f"templates/storefront/deployment.yaml.j2:{line}:1: error: undefined" in result.err
    assert "`values.verison`" in result.err and "(did you mean 'version'?)" in result.err
