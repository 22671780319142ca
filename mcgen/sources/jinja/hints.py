"""Go template syntax met by Jinja2: say so, and how to keep it literal.

Helm charts, Prometheus and Alertmanager rules and Argo CD ApplicationSets use Go's
`{{ .Values.x }}`, `{{ $labels.x }}`; pasted into a `.yaml.j2` file, Jinja2 reads the
braces itself and fails with "unexpected char '$'". The fix is `{% raw %}...{% endraw %}`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# `{{ .x`, `{{ $x`, `{{- .x`, `{{ printf "%s" .x`, `{{ toYaml .x | nindent 4`
_GO = re.compile(r"\{\{-?\s*(?:[$.][A-Za-z_$]|[A-Za-z]+\s[^}]*?[\s(][$.][A-Za-z_])")


class GoSyntax(NamedTuple):
    """Where on its line Go template syntax starts (1-based column), and what it reads."""

    column: int
    text: str


def go_syntax(line: str) -> GoSyntax | None:
    """The first Go template expression on `line`, if it holds one."""
    found = _GO.search(line)
    if found is None:
        return None
    end = line.find("}}", found.end() - 2)
    text = line[found.start(): end + 2 if end >= 0 else len(line)]
    return GoSyntax(found.start() + 1, text)


def go_hint(source: str | None, line: int) -> GoSyntax | None:
    """Go template syntax on `line` (1-based) of `source`."""
    if source is None or line < 1:
        return None
    lines = source.splitlines()
    return go_syntax(lines[line - 1]) if line <= len(lines) else None


def raw_advice(found: GoSyntax) -> str:
    return (f"`{found.text}` is Go template syntax (Helm, Prometheus, Alertmanager), which "
            "Jinja2 reads as its own; to keep it literal in the output, wrap it in "
            "`{% raw %}...{% endraw %}`")
