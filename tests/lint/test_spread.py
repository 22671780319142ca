"""The rules spread over the cores report exactly what one process reports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from mcgen.lint.registry import RULES
from mcgen.lint.spread import COST, TOGETHER, spread

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet


def test_every_rule_lands_in_exactly_one_part_in_rule_order() -> None:
    rules = list(RULES)
    parts = spread(rules, 2)
    assert sorted(r for part in parts for r in part) == sorted(rules)
    order = {rule: n for n, rule in enumerate(rules)}
    assert all(part == sorted(part, key=order.__getitem__) for part in parts)
    family = set(TOGETHER)
    assert sum(1 for part in parts if family & set(part)) == 1  # the access model is built once


def test_parts_are_balanced_by_cost_not_count() -> None:
    parts = spread(list(RULES), 2)
    loads = [sum(COST.get(family, 1) for family in {TOGETHER.get(r, r) for r in part})
             for part in parts]
    assert len(parts) == 2 and max(loads) - min(loads) <= 1
    assert spread(list(RULES), 1) == [list(RULES)]
    assert spread(["schema"], 4) == [["schema"]]


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fleet past the spread's threshold, with findings of object, group and tree rules."""
    repo = tmp_path_factory.mktemp("spread") / "fleet"
    write_fleet(repo, 30, 20)  # 2,400 objects
    subprocess.run([sys.executable, "-m", "mcgen", "render", "-q"], cwd=repo, check=True)
    spec = repo / "fleets" / "bench.yaml"
    spec.write_text(spec.read_text().replace(
        "{name: c0003,", "{name: c0003, values: {memory: 512Mi},"))
    template = repo / "templates" / "comp01" / "deployment.yaml.j2"
    template.write_text(template.read_text().replace(
        "registry.example.com/{{ component.name }}:{{ values.version }}",
        "registry.example.com/{{ component.name }}:latest"))
    edited = repo / "clusters" / "c0007" / "comp02" / "service-comp02.yaml"
    edited.write_text(edited.read_text() + "# hand edit\n")
    return repo


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_two_processes_report_byte_for_byte_what_one_does(messy: Path, fmt: str) -> None:
    outputs = {}
    for jobs in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "mcgen", "lint", "--format", fmt],
                              cwd=messy, env={**os.environ, "MCGEN_JOBS": jobs, "NO_COLOR": "1"},
                              capture_output=True, text=True, check=False)
        assert done.returncode == 1, done.stderr
        outputs[jobs] = done.stdout
    assert outputs["1"] == outputs["2"]
    for rule in ("replica-drift", "output-drift", "image-tag"):
        assert rule in outputs["1"]
