"""The few exceptions the library raises; `mcgen.cli.main` maps them to exit codes."""

from __future__ import annotations

from collections.abc import Iterable

from mcgen.collapse import collapse_problems
from mcgen.location import Location, Problem


class McgenError(Exception):
    """Base of every error mcgen raises on purpose."""

    exit_code = 3


class InputError(McgenError):
    """Bad input of any kind (exit 2): carries every problem found, not only the first."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in collapse_problems(self.problems)))

    @classmethod
    def at(cls, location: Location, message: str) -> InputError:
        return cls([Problem(location, message)])


class UsageError(McgenError):
    """A wrong flag or argument (exit 2)."""

    exit_code = 2


class OutputError(McgenError):
    """The output tree cannot be written (disk full, read-only, locked): exit 2, tree intact."""

    exit_code = 2
