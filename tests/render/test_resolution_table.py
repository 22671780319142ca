"""docs/yaml.md's table is what the code does: each row's readings and how mcgen writes it.

The goyaml.v2 and v3 columns are facts read from sigs.k8s.io/yaml's goyaml.v2/resolve.go
and goyaml.v3/resolve.go (resolveMapList, resolveTable, yamlStyleFloat, the 0b/0o
branches); the YAML 1.1 and 1.2 columns are checked against PyYAML and ruamel.yaml.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML

from mcgen.yaml.emit import canonical_yaml
from mcgen.yaml.resolve import READERS, describe

DOC = Path(__file__).resolve().parents[2] / "docs" / "yaml.md"


def rows() -> list[list[str]]:
    found = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith(("`", "(empty)")):
            found.append(cells)
    return found


def _text(cell: str) -> str:
    return "" if cell == "(empty)" else cell.strip("`")


def test_the_table_has_the_cases_the_issue_names() -> None:
    texts = {_text(row[0]) for row in rows()}
    assert {"y", "n", "on", "off".upper(), "1e3", "0o17", "0x1f", "1:30", "=", "<<",
            "2001-12-14", ".inf", ".nan"} <= texts


@pytest.mark.parametrize("row", rows(), ids=lambda row: row[0])
def test_each_row(row: list[str]) -> None:
    text = _text(row[0])
    assert [describe(reader(text)) for reader in READERS.values()] == row[1:5]
    assert canonical_yaml({"k": text}) == f"k: {row[5].strip('`')}\n"


@pytest.mark.parametrize("row", rows(), ids=lambda row: row[0])
def test_the_python_columns_are_what_the_libraries_do(row: list[str]) -> None:
    text = _text(row[0])
    pyyaml = yaml.compose(f"k: {text}\n", Loader=yaml.SafeLoader).value[0][1].tag
    assert (row[3].startswith("string")) == pyyaml.endswith(":str")
    ruamel = YAML(typ="rt", pure=True).load(io.StringIO(f"k: {text}\n"))["k"]
    assert (row[4].startswith("string")) == (type(ruamel).__name__ in ("str", "PlainScalarString")
                                             and str(ruamel) == text)
