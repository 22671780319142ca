"""Files to documents, as kubeconform reads them: folders walked, `---` splits, Lists expanded."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mcgen.yaml.manifests import read_document

SUFFIXES = (".yaml", ".yml", ".json")
_SEPARATOR = re.compile(r"^---(?:\s|$)")


@dataclass
class Resource:
    path: str
    text: str
    body: object = None
    error: str = ""

    @property
    def kind(self) -> str:
        return str(self.body.get("kind") or "") if isinstance(self.body, dict) else ""

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion") or "") if isinstance(self.body, dict) else ""

    @property
    def name(self) -> str:
        meta = self.body.get("metadata") if isinstance(self.body, dict) else None
        if not isinstance(meta, dict):
            return ""
        if meta.get("name"):
            return str(meta["name"])
        return f"{meta['generateName']}{{{{ generateName }}}}" if meta.get("generateName") else ""

    @property
    def namespace(self) -> str:
        meta = self.body.get("metadata") if isinstance(self.body, dict) else None
        return str(meta.get("namespace") or "") if isinstance(meta, dict) else ""


def walk(paths: list[str], ignore: list[re.Pattern[str]]) -> Iterator[str]:
    """Files in argument order; folders recursively in lexical order, filtered by suffix."""
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    full = os.path.join(folder, name)
                    if name.endswith(SUFFIXES) and not any(p.search(full) for p in ignore):
                        yield full
        elif not any(p.search(path) for p in ignore):
            yield path


def split(text: str) -> list[str]:
    """Documents separated by `---` lines; a leading `---` stays with the first."""
    documents: list[list[str]] = [[]]
    for number, line in enumerate(text.splitlines(keepends=True)):
        if number and _SEPARATOR.match(line):
            documents.append([])
        documents[-1].append(line)
    return ["".join(lines) for lines in documents]


def empty(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") or _SEPARATOR.match(line)
               for line in text.splitlines())


def load(path: str, text: str, strict: bool) -> Iterator[Resource]:
    for document in split(text):
        if empty(document):
            yield Resource(path, document)
            continue
        yield from _parse(path, document, strict)


def _parse(path: str, document: str, strict: bool) -> Iterator[Resource]:
    body, error = read_document(document, strict)
    if error:
        yield Resource(path, document, None, f"error unmarshalling resource: {error}")
        return
    if isinstance(body, dict) and str(body.get("kind", "")).endswith("List") and (
            "items" in body or "Items" in body):
        items = body.get("items", body.get("Items")) or []
        items = items if isinstance(items, list) else []
        for item in items:
            yield Resource(path, document, item)
        if not items:
            yield Resource(path, document)  # an empty List: nothing to count, but its file
        return
    yield Resource(path, document, body)
