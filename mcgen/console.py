"""Terminal niceties: colour and progress on a terminal, plain text in CI and pipes.

Colour follows the conventions users set: `NO_COLOR` (any value) turns it off,
`FORCE_COLOR` turns it on, and otherwise it is on only for a terminal outside CI.
rich is imported only when it will be used, so pipes and hooks start fast.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from typing import IO

_SEVERITY = re.compile(r": (error|warning|info): ")
_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def interactive(stream: IO[str]) -> bool:
    """A person is watching `stream`: a terminal, outside CI."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")


def colour_enabled(stream: IO[str]) -> bool:
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return interactive(stream) and os.environ.get("TERM") != "dumb"


def emit(text: str, stream: IO[str]) -> None:
    """Write `text`, colouring severities when colour is enabled for `stream`."""
    if not colour_enabled(stream):
        stream.write(text)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True)
    for line in text.splitlines():
        styled = Text(line)
        match = _SEVERITY.search(line)
        if match:
            styled.stylize(_STYLES[match.group(1)], match.start(1), match.end(1))
            styled.stylize("bold", 0, match.start())
        console.print(styled)


@contextlib.contextmanager
def status(message: str, stream: IO[str]) -> Iterator[None]:
    """A spinner with `message` while a long step runs, only when a person is watching."""
    if not interactive(stream):
        yield
        return
    from rich.console import Console

    console = Console(file=stream)
    with console.status(message):
        yield
