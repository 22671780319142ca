"""The output engine registry: one module per `spec.output.engine` value."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from mcgen.fleet.model import Engine
from mcgen.output.engines import flux
from mcgen.output.engines.registry import ENGINES, _index

SCHEMA = Path(__file__).resolve().parents[2] / "mcgen" / "fleet" / "schema.json"


def test_registry_names_every_engine_the_schema_admits() -> None:
    schema = json.loads(SCHEMA.read_text())
    admitted = schema["$defs"]["output"]["properties"]["engine"]["enum"]
    assert sorted(ENGINES) == sorted(admitted) == sorted(typing.get_args(Engine))


def test_duplicate_engine_fails() -> None:
    with pytest.raises(RuntimeError, match="duplicate output engine 'flux'"):
        _index((flux, flux))
