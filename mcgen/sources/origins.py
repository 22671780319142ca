"""`# Source: <path>` comment lines: how a text names the file each document came from.

Helm writes one before each document of a chart's output; the kustomize source writes
them from kustomize's origin annotations. Comments never reach an object.
"""

from __future__ import annotations

from typing import NamedTuple

SOURCE_COMMENT = "# Source: "


class Origin(NamedTuple):
    path: str  # as the comment names it
    line: int  # 1-based line of the comment in the text


def origin_at(text: str, rendered_line: int) -> Origin | None:
    """The nearest `# Source:` line at or above `rendered_line` of `text`."""
    lines = text.splitlines()
    for index in range(min(rendered_line, len(lines)) - 1, -1, -1):
        line = lines[index]
        if line.startswith(SOURCE_COMMENT):
            return Origin(line[len(SOURCE_COMMENT):].strip(), index + 1)
    return None
