"""Where the user's standard error is while descriptor 2 is lent to a library.

Helm's Go engine writes its log lines to descriptor 2, so `mcgen.helm.native` points it
at a temporary file while Go runs, to turn them into warnings. A message mcgen must show
at any moment (the Ctrl-C line of `mcgen.entry`) is written here instead. Imports
nothing: the program's first module reads it.
"""

from __future__ import annotations

_where = [2]


def descriptor() -> int:
    """The descriptor that reaches the user's standard error now."""
    return _where[-1]


def lend(saved: int) -> None:
    """Descriptor 2 is lent out; `saved` (a duplicate of it) reaches the user."""
    _where.append(saved)


def give_back() -> None:
    """Descriptor 2 reaches the user again."""
    if len(_where) > 1:
        _where.pop()
