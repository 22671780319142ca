"""`spec.access` errors: each names its file:line:col and exits 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

SPEC = "fleets/acme.yaml"


@pytest.mark.parametrize(("old", "new", "needle", "words"), [
    ('"Group:acme:eu-support": {zones: [eu]}', '"Team:eu-support": {zones: [eu]}',
     '"Team:eu-support"', "is not a subject"),
    ('"Group:acme:eu-support": {zones: [eu]}', '"Group:acme:eu-support": {zones: [mars]}',
     "zones: [mars]", "unknown zone 'mars'"),
    ('"Group:acme:eu-support": {zones: [eu]}', '"Group:acme:eu-support": {clusters: [eu-x]}',
     "clusters: [eu-x]", "unknown cluster 'eu-x'"),
    ('platform: ["Group:acme:platform-team"]', 'platform: ["platform-team"]',
     'platform: ["platform-team"]', "is not a subject"),
    ('platform: ["Group:acme:platform-team"]',
     'platform: ["Group:acme:platform-team"]\n    sensitiveDataClasses: [secret-stuff]',
     "sensitiveDataClasses", "unknown data class 'secret-stuff'"),
    ('platform: ["Group:acme:platform-team"]',
     'platform: ["Group:acme:platform-team"]\n    owners: [me]', "owners", "owners"),
])
def test_bad_access_spec(example_repo: Path, old: str, new: str, needle: str,
                         words: str) -> None:
    path = example_repo / SPEC
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if needle in row)
    before = sorted(p for p in (example_repo / "clusters").rglob("*"))
    run = run_cli("render", cwd=example_repo)
    assert run.code == 2, run.out + run.err
    assert f"{SPEC}:{line}:" in run.err and words in run.err, run.err
    assert "Traceback" not in run.err
    assert sorted(p for p in (example_repo / "clusters").rglob("*")) == before
