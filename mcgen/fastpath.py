"""The no-op `mcgen render --check` (the pre-commit hook), answered before the CLI loads.

When every fleet's inputs and tree are exactly as the last render or clean check left
them (`mcgen.output.noop`), nothing can have drifted, and the answer needs neither
click, nor Jinja2, nor the YAML readers, nor the fleet. `mcgen.entry` asks this module
first, for a command line it understands fully (`render --check` with `-q`, `--no-diff`
and fleet specs); anything else, and any doubt, runs the full command, which says the
same and more.
"""

from __future__ import annotations

import os
import sys

from mcgen.errors import McgenError

FLAGS = {"--check", "--quiet", "-q", "--no-diff"}
# The options of a plain `mcgen lint` (each takes a value): the lint that reuses the
# last one's findings, and so judges the tree (`mcgen.lint.remembered`).
LINT_VALUES = {"--format", "--output", "-o", "--kubernetes-version", "--crd", "--select",
               "--disable"}
# Its flags that keep it a lint of every fleet: `--full` reuses no finding, but its
# no-op check still takes the judges' verdict (it spares the tree's compare).
LINT_FLAGS = {"--full"}


def check(argv: list[str]) -> int | None:
    """0 when `argv` is a `render --check` that the records answer as clean (after
    saying so on stderr unless quiet); None when the full command must run."""
    if len(argv) < 2 or argv[0] != "render" or "--check" not in argv:
        return None
    options = [arg for arg in argv[1:] if arg.startswith("-")]
    paths = tuple(arg for arg in argv[1:] if not arg.startswith("-"))
    if not set(options) <= FLAGS or "--" in argv or os.environ.get("MCGEN_DEBUG"):
        return None
    specs = _specs(paths)
    if not specs or not all(_clean(spec) for spec in specs):
        return None
    if not {"-q", "--quiet"} & set(options):
        names = ", ".join(os.path.splitext(os.path.basename(spec))[0] for spec in specs)
        sys.stderr.write(f"{names}: the tree is up to date\n")
    return 0


def _specs(paths: tuple[str, ...]) -> list[str]:
    """The fleet specs the full command would take, or none if it would fail."""
    from mcgen import settings
    from mcgen.fleet.discover import find_root, fleet_specs, named_specs

    cwd = os.getcwd()
    try:
        settings.check_all()  # a malformed MCGEN_* variable is the full command's error
        return named_specs(paths, cwd) if paths else fleet_specs(find_root(cwd))
    except McgenError:
        return []


def _clean(spec: str) -> bool:
    from mcgen.fleet.discover import repo_root_of
    from mcgen.output.noop import clean

    return clean(repo_root_of(spec), spec)


def judge_early(argv: list[str]) -> None:
    """For a render or a plain lint of a repository's fleets, start judging their trees
    against the no-op records now, in second processes, while the CLI and the renderer
    load (`mcgen.output.subtrees.start_judges`); any doubt starts nothing."""
    if not argv or os.environ.get("MCGEN_DEBUG") or "--" in argv:
        return
    if argv[0] == "render":
        options = [arg for arg in argv[1:] if arg.startswith("-")]
        paths = tuple(arg for arg in argv[1:] if not arg.startswith("-"))
        wanted = set(options) <= FLAGS
    else:
        wanted, paths = argv[0] == "lint" and _plain_lint(argv[1:]), ()
    specs = _specs(paths) if wanted else []
    if specs:
        from mcgen.output.subtrees import start_judges

        try:
            start_judges(specs)
        except (McgenError, OSError):
            return  # the command says what is wrong


def _plain_lint(args: list[str]) -> bool:
    """Whether `args` are a lint of every fleet of the repository (no targets), which
    asks whether the tree is as the last render left it (no --shard, --merge)."""
    values = iter(args)
    for arg in values:
        if arg in LINT_FLAGS:
            continue
        if arg.split("=", 1)[0] not in LINT_VALUES:
            return False
        if "=" not in arg and next(values, None) is None:
            return False
    return True
