"""Where something is: the one place 0-based parser positions become 1-based."""

from __future__ import annotations

import re
from typing import NamedTuple

# C0 and C1 controls, DEL and Unicode line breaks.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with control characters escaped (`\\n`, `\\x1b`).

    Messages quote names and values from pull requests. Printed raw, a newline could
    start a line with `::error ...` or `::stop-commands::`, which GitHub Actions obeys,
    and an escape sequence could rewrite the reader's terminal.
    """
    return _CONTROL.sub(lambda found: repr(found.group(0))[1:-1], text)


class Location(NamedTuple):
    """A 1-based position in a file; line 0 means the file as a whole."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return one_line(self.path)
        return f"{one_line(self.path)}:{self.line}:{max(self.col, 1)}"

    @classmethod
    def from_zero_based(cls, path: str, line: int, col: int) -> Location:
        return cls(path, line + 1, col + 1)


class Problem(NamedTuple):
    """One input error: bad YAML, a spec that fails its schema, an unknown name."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: error: {one_line(self.message)}"
