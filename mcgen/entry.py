"""The `mcgen` program's first code: Ctrl-C at any moment is one line and exit 130.

The console script and `python -m mcgen` import this module before anything else of
mcgen's. Its first statement takes SIGINT over with the C signal module (nothing to
import), so an interrupt while click, jinja2 and the YAML readers load is handled like
one during a render. Only the program does this: `import mcgen` installs no handler.

The handler leaves at once, as a SIGKILL would, rather than raising KeyboardInterrupt:
an exception can surface inside a native extension's import (a Rust module panics and
prints its own traceback) or in click (which prints "Aborted!"). Leaving at once is
safe because every write is (SECURITY.md, tests/reliability/test_faults.py): the tree
stays old or new and the next command finishes or discards a half-done render.

A Ctrl-C during the interpreter's own start-up, before this module runs, is Python's.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # the C module: nothing to import

MESSAGE = b"mcgen: interrupted\n"
INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
SHOW_CURSOR = b"\x1b[?25h"  # a progress bar may have hidden it


def _leave(*_: object) -> None:
    """Say so once (in the main process, not in a forked worker) and exit 130."""
    import os

    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # a second Ctrl-C changes nothing
    if os.getpid() == _MAIN:
        where = _stderr()
        try:
            os.write(where, (SHOW_CURSOR if os.isatty(where) else b"") + MESSAGE)
        except OSError:  # stderr closed: the exit code still says it
            os._exit(INTERRUPTED)
    os._exit(INTERRUPTED)


def _stderr() -> int:
    """Descriptor 2, or where the user's standard error is while a library has it
    (`mcgen.realstderr`: Helm's Go engine writes into a file mcgen reads)."""
    import sys

    lent = sys.modules.get("mcgen.realstderr")
    return lent.descriptor() if lent is not None else 2


def _pid() -> int:
    import os

    return os.getpid()


_MAIN = _pid()
if _signal.getsignal(_signal.SIGINT) is not _signal.SIG_IGN:  # e.g. `mcgen ... &` in sh
    _signal.signal(_signal.SIGINT, _leave)


def run() -> None:
    """The console entry point: a no-op `render --check` is answered before the CLI
    loads (`mcgen.fastpath`), anything else by the CLI."""
    import os
    import sys

    from mcgen.fastpath import check, judge_early

    if check(sys.argv[1:]) == 0:
        sys.stderr.flush()
        os._exit(0)  # as `mcgen.cli.run` leaves: the heap needs no tearing down
    judge_early(sys.argv[1:])
    from mcgen.cli import run as cli_run

    cli_run()
