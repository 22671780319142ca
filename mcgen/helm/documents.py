"""A chart's rendered templates as documents, split the way Helm splits them.

Helm separates documents with the regular expression `(?:^|\\s*\\n)---\\s*`, not with YAML's
stream rules: cert-manager's `rbac.yaml` renders `---# Permission to approve ...` (a
`{{- ... -}}` ate the newline), which Helm reads as a separator and a comment and a strict
YAML parser refuses. Each document keeps the line of the template's output it starts on,
so a finding can name Helm's `# Source:` file and that line.

`NOTES.txt` is not a manifest; nor is any template whose name does not end in `.yaml`,
`.yml` or `.json` (Helm would try to apply those too; charts put no objects there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

_SEPARATOR = re.compile(r"(?:^|\s*\n)---\s*")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


class ChartDocument(NamedTuple):
    source: str  # Helm's name for the template: "chart/templates/x.yaml"
    text: str  # one YAML document, no separator
    line: int  # 1-based line of the template's rendered output where it starts


def is_manifest(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not base.startswith("_") and base != "NOTES.txt" and name.endswith(MANIFEST_SUFFIXES)


def split(source: str, text: str) -> Iterator[ChartDocument]:
    """The non-empty documents of one template's output, in order."""
    start = 0
    for match in _SEPARATOR.finditer(text):
        yield from _document(source, text, start, match.start())
        start = match.end()
    yield from _document(source, text, start, len(text))


def _document(source: str, text: str, start: int, end: int) -> Iterator[ChartDocument]:
    body = text[start:end]
    stripped = body.lstrip()
    if not _has_content(stripped):
        return
    offset = start + len(body) - len(stripped)
    yield ChartDocument(source, stripped.rstrip() + "\n", text.count("\n", 0, offset) + 1)


def _has_content(body: str) -> bool:
    """Whether a document holds more than blank lines, comments and YAML markers."""
    return any(line.strip() not in ("", "---", "...") and not line.lstrip().startswith("#")
               for line in body.splitlines())


def documents(rendered: Mapping[str, str]) -> list[ChartDocument]:
    """Every manifest document of a render, templates in name order (Helm's own order
    is by kind at install time; mcgen writes one object per file, so any fixed order
    does)."""
    return [doc for name in sorted(rendered) if is_manifest(name)
            for doc in split(name, rendered[name])]


def hook_of(text: str) -> str:
    """The `helm.sh/hook` annotation's value as written in a document, or ""."""
    match = re.search(r"""^\s*["']?helm\.sh/hook["']?\s*:\s*["']?([^"'\n#]*)""", text, re.M)
    return match.group(1).strip() if match else ""
