"""Where something is: the one place 0-based parser positions become 1-based."""

from __future__ import annotations

from typing import NamedTuple


class Location(NamedTuple):
    """A 1-based position in a file; line 0 means the file as a whole."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"

    @classmethod
    def from_zero_based(cls, path: str, line: int, col: int) -> Location:
        return cls(path, line + 1, col + 1)


class Problem(NamedTuple):
    """One input error: bad YAML, a spec that fails its schema, an unknown name."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: error: {self.message}"
