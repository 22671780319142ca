"""Plain manifest files and folders as a lint subject (no fleet, one Kubernetes version)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator

from mcgen.confine import escapes, refusal
from mcgen.errors import InputError, UsageError
from mcgen.lint.kustomize import KUSTOMIZATION_FILES, set_aside
from mcgen.lint.subject import DEFAULT_KUBERNETES_VERSION, LintObject, Subject
from mcgen.location import Location, Problem
from mcgen.objects import ObjectRef
from mcgen.yaml.manifests import DocumentError, parse_documents
from mcgen.yaml.nodes import document_at
from mcgen.yaml.nodes import walk as walk_node
from mcgen.yaml.source import PathKey
from mcgen.yaml.text import NotUtf8, decode

SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 64 * 1024 * 1024


def walk(paths: list[str]) -> Iterator[tuple[str, str]]:
    """(file, folder it was found in or "") under `paths`, in a stable order; hidden
    folders are skipped, and so are a kustomize folder's own files (`kustomize.py`)."""
    found: list[tuple[str, str]] = []
    for path in paths:
        if os.path.isfile(path):
            found.append((path, ""))
        elif os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend((os.path.join(folder, f), path) for f in sorted(files)
                             if f.endswith(SUFFIXES) or f in KUSTOMIZATION_FILES)
        else:
            raise UsageError(f"no such file or folder: {path}")
    aside = set_aside(path for path, found_in in found if found_in)
    yield from ((path, found_in) for path, found_in in found
                if not found_in or os.path.abspath(path) not in aside)


def manifest_subject(paths: list[str], version: str | None, today: datetime.date) -> Subject:
    objects: list[LintObject] = []
    problems: list[Problem] = []
    for path, found_in in walk(paths):
        shown = path  # as the user gave it, like kubeconform
        real = escapes(path, found_in) if found_in else None
        outcome = refusal(shown, real, f"the folder {found_in}") if real else _read(
            path, shown, version or DEFAULT_KUBERNETES_VERSION)
        if isinstance(outcome, Problem):
            problems.append(outcome)
        else:
            objects.extend(outcome)
    if problems:
        raise InputError(problems)
    return Subject(tuple(objects), today=today)


def _read(path: str, shown: str, version: str) -> list[LintObject] | Problem:
    try:
        if os.path.getsize(path) > MAX_BYTES:
            limit = MAX_BYTES // 2**20
            return Problem(Location(shown), f"larger than {limit} MiB; not a manifest?")
        with open(path, "rb") as handle:
            text = decode(handle.read())  # a leading byte order mark dropped, as kubectl does
    except OSError as exc:
        return Problem(Location(shown), f"cannot read: {exc.strerror}")
    if isinstance(text, NotUtf8):
        return Problem(Location(shown, text.line, text.column), text.message)
    parsed = parse_documents(text)
    if isinstance(parsed, DocumentError):
        where = Location(shown, parsed.line, parsed.column)
        return Problem(where, f"invalid YAML: {parsed.message}")
    objects = []
    for doc in parsed:
        for within, body in _members(doc.value):
            problem = _not_an_object(body)
            if problem:
                line = walk_node(document_at(text, doc.line), within)[0] or doc.line
                return Problem(Location(shown, line, 1), problem)
            assert isinstance(body, dict)
            objects.append(LintObject(body, ObjectRef.of(body), shown, text, doc.line, version,
                                      within=within))
    return objects


def _members(value: object) -> list[tuple[PathKey, object]]:
    """The objects of one document: itself, or each item of a `kind: List` (as kubectl
    applies them)."""
    if isinstance(value, dict) and value.get("kind") == "List" and isinstance(
            value.get("items"), list):
        return [(("items", index), item) for index, item in enumerate(value["items"])]
    return [((), value)]


def _not_an_object(body: object) -> str:
    if not isinstance(body, dict):
        return "a document must be a mapping (an object)"
    missing = [k for k in ("apiVersion", "kind") if not isinstance(body.get(k), str)
               or not body[k]]
    return f"a Kubernetes object needs {' and '.join(missing)}" if missing else ""
