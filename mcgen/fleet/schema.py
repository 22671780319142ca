"""The fleet spec's JSON Schema, shipped as package data, turned into located problems."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

import jsonschema_rs

from mcgen.fleet.sources import is_source_choice, source_choice_message
from mcgen.location import Problem
from mcgen.suggest import nearest
from mcgen.yaml.source import PathKey, SourceDocument

if TYPE_CHECKING:  # imported when a spec is invalid: it takes 40 ms, every command
    import jsonschema

NAME_HINT = (
    "names are DNS labels: lowercase letters, digits and '-', starting and ending with a "
    "letter or digit, at most 63 characters"
)


@cache
def fleet_schema() -> dict[str, object]:
    # Beside this module (importlib.resources would cost ~10 ms of every run's start).
    with open(os.path.join(os.path.dirname(__file__), "schema.json"), encoding="utf-8") as handle:
        text = handle.read()
    loaded: dict[str, object] = json.loads(text)
    return loaded


def schema_text() -> str:
    """The fleet schema as `mcgen schema` prints it and `mcgen init` writes it."""
    return json.dumps(fleet_schema(), indent=2, sort_keys=False) + "\n"


@cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(
        fleet_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _quick() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(fleet_schema(), validate_formats=True)


def schema_problems(document: SourceDocument) -> list[Problem]:
    """Every place where the document breaks the fleet schema.

    The Rust validator answers "valid" in a millisecond where jsonschema takes a tenth
    of a second on a thousand clusters; jsonschema finds and words the errors. (The Rust
    one is never laxer here: its `$` does not match before a final newline, Python's
    does; `tests/fleet/test_schema_quick.py` compares the two.)
    """
    if _quick().is_valid(document.value):
        return []
    problems: list[Problem] = []
    for error in _validator().iter_errors(document.value):
        problems.extend(_located(document, error))
    return problems


def _located(document: SourceDocument, error: jsonschema.ValidationError) -> Iterator[Problem]:
    at: PathKey = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        for key in sorted(set(error.instance) - set(allowed)):
            known = ", ".join(sorted(allowed)) or "none"
            near = nearest(str(key), allowed)
            hint = f"did you mean {near!r}? " if near else ""
            yield Problem(
                document.where((*at, key)),
                f"{render_path((*at, key))}: unknown field {key!r} ({hint}known fields: "
                f"{known})",
            )
        return
    yield Problem(document.where(at), f"{render_path(at)}: {_message(error)}")


def _message(error: jsonschema.ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator in ("pattern", "maxLength") and "a-z0-9" in str(schema.get("pattern")):
        return f"{error.instance!r} is not a valid name: {NAME_HINT}"
    if error.validator == "oneOf" and isinstance(error.instance, dict) and is_source_choice(
            schema.get("oneOf")):
        return source_choice_message(error.instance)
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is required")
    if error.validator == "enum":
        options = ", ".join(repr(v) for v in schema.get("enum", []))
        return f"{error.instance!r} is not one of {options}"
    if error.validator == "type" and schema.get("type") == "string":
        return _quote_it(error.instance, error.absolute_path)
    return str(error.message)


def _quote_it(value: object, at: Iterable[object]) -> str:
    """Unquoted YAML scalars that were meant as text: `1.30` is the number 1.3, `on` true."""
    key = next((str(p) for p in reversed(list(at)) if isinstance(p, str)), "the value")
    if isinstance(value, bool):
        return (f"{str(value).lower()} is read as a boolean, and {key} takes text: quote it "
                f"(unquoted true and false are booleans)")
    if key == "kubernetesVersion" and isinstance(value, int | float):
        return (f"{value!r} is read as a number, and a version is text: quote it, e.g. "
                f'kubernetesVersion: "1.30" (unquoted, YAML reads 1.30 as the number 1.3)')
    if isinstance(value, int | float):
        return f'{value!r} is read as a number, and {key} takes text: quote it ({key}: "{value}")'
    return f"{value!r} is not a string"


def render_path(at: PathKey) -> str:
    """`("spec", "clusters", 1, "wave")` as `spec.clusters[1].wave`."""
    text = ""
    for part in at:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"
