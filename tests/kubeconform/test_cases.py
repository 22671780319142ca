"""kubeconform's own acceptance cases and output goldens, run against `mcgen kubeconform`."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CORPORA

from mcgen.kubeconform import run
from mcgen.kubeconform.output import Output, Result
from mcgen.kubeconform.resources import Resource

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text())
FOLDER = CORPORA / "kubeconform"


class Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


def kubeconform(args: list[str], stdin_file: str | None) -> tuple[int, str]:
    if not FOLDER.is_dir():
        pytest.skip("../shared/corpora is absent: kubeconform's fixtures are not here")
    stdin = Stdin((FOLDER / stdin_file).read_text() if stdin_file else "")
    out = io.StringIO()
    previous = os.getcwd()
    os.chdir(FOLDER)
    try:
        code = run(args, stdin, out, out)
    finally:
        os.chdir(previous)
    return code, out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_acceptance_case(case: dict[str, Any]) -> None:
    code, output = kubeconform([str(a) for a in case["args"]], case.get("stdin"))
    lines = output.splitlines()
    assert code == case["exit"], output
    if "output" in case:
        assert output.rstrip("\n") == case["output"]
    if "contains" in case:
        assert case["contains"] in output
    if "starts" in case:
        assert output.startswith(case["starts"])
    if "lines" in case:
        assert len(lines) == case["lines"]
    for index in (0, 1):
        if f"line{index}" in case:
            assert lines[index] == case[f"line{index}"]
        if f"line{index}starts" in case:
            assert lines[index].startswith(case[f"line{index}starts"])


@pytest.mark.slow
def test_a_very_large_stream(tmp_path: Path) -> None:
    """A57/A58 with 2,000 copies (upstream: 100,000) of fixtures/valid.yaml."""
    if not FOLDER.is_dir():
        pytest.skip("../shared/corpora is absent")
    one = (FOLDER / "fixtures" / "valid.yaml").read_text()
    (tmp_path / "valid_large.yaml").write_text("\n---\n".join([one] * 2000))
    out = io.StringIO()
    code = run(["-summary", str(tmp_path / "valid_large.yaml")], Stdin(""), out, out)
    assert code == 0
    assert out.getvalue().startswith("Summary: 2000 resources found in 1 file - Valid: 2000,")


def goldens() -> list[Any]:
    path = CORPORA / "_derived" / "kubeconform-output-goldens.json"
    if not path.exists():
        return []
    return json.loads(path.read_text())["cases"]


@pytest.mark.parametrize("case", goldens(), ids=lambda c: f"{c['format']}: {c['name']}")
def test_output_golden(case: dict[str, Any]) -> None:
    stream = io.StringIO()
    out = Output(stream, case["format"], case["withSummary"], case["verbose"], case["isStdin"])
    for item in case["results"]:
        body = yaml.safe_load(item["bytes"])
        err = item.get("err")
        message = err["msg"] if isinstance(err, dict) else (err or "")
        errors = [(e["path"], e["msg"]) for e in item.get("validationErrors") or []]
        out.add(Result(Resource(item["path"], item["bytes"], body), item["status"], message,
                       errors))
    out.flush()
    produced = re.sub(r'time="[^"]*"', 'time=""', stream.getvalue())
    assert produced == case["expect"]
