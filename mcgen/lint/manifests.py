"""Plain manifest files and folders as a lint subject (no fleet, one Kubernetes version)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator

from mcgen.confine import escapes, refusal
from mcgen.errors import InputError, UsageError
from mcgen.lint.subject import DEFAULT_KUBERNETES_VERSION, LintObject, Subject
from mcgen.location import Location, Problem
from mcgen.objects import ObjectRef
from mcgen.yaml.manifests import DocumentError, parse_documents
from mcgen.yaml.text import NotUtf8, decode

SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 64 * 1024 * 1024


def walk(paths: list[str]) -> Iterator[tuple[str, str]]:
    """(file, folder it was found in or "") under `paths`, in a stable order; hidden
    folders are skipped."""
    for path in paths:
        if os.path.isfile(path):
            yield path, ""
        elif os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from ((os.path.join(folder, f), path) for f in sorted(files)
                            if f.endswith(SUFFIXES))
        else:
            raise UsageError(f"no such file or folder: {path}")


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
        if not isinstance(doc.value, dict):
            where = Location(shown, doc.line, 1)
            return Problem(where, "a document must be a mapping (an object)")
        missing = [k for k in ("apiVersion", "kind") if not isinstance(doc.value.get(k), str)
                   or not doc.value[k]]
        if missing:
            where = Location(shown, doc.line, 1)
            return Problem(where, f"a Kubernetes object needs {' and '.join(missing)}")
        ref = ObjectRef.of(doc.value)
        objects.append(LintObject(doc.value, ref, shown, text, doc.line, version))
    return objects
