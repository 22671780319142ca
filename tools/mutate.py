"""`make mutate`: mutation testing of the modules whose tests must notice any change.

A small AST mutator (no dependency): each mutant flips one operator or constant of one
module (`==`/`!=`, `<`/`<=`, `in`/`not in`, `is`/`is not`, `and`/`or`, `not x` -> `x`,
`+`/`-`, True/False, an integer n -> n + 1, a string s -> "XX" + s + "XX" outside
docstrings), and the module's own tests run against it in a copy of the repository. A
mutant the tests pass is a survivor: either a missing test or an equivalent mutant,
which `tools/mutate-equivalent.txt` lists with the reason it cannot be told apart.
Each module must kill 90% of its non-equivalent mutants (the exit code says whether all
did); the table at the end is the one docs/SECURITY.md records.

    .venv/bin/python tools/mutate.py                    # every target, report at the end
    .venv/bin/python tools/mutate.py mcgen/lint/suppress.py   # one module
    .venv/bin/python tools/mutate.py mcgen/lint/suppress.py:40,52   # its mutants on 2 lines

Tests run in forked children of a process that has imported the third-party libraries
once, each stopping at its first failure (`-x`) and killed after a timeout (a mutant
that loops counts as killed).
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from mutate_targets import TARGETS, tests_for  # noqa: E402

BAR = 0.9  # the share of non-equivalent mutants each module's tests must kill
SLOWDOWN = 3.0  # a mutant running this many times longer than the unmutated tests loops
EQUIVALENT = ROOT / "tools" / "mutate-equivalent.txt"
SWAPS: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
    ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.And: ast.Or, ast.Or: ast.And,
    ast.Add: ast.Sub, ast.Sub: ast.Add,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # the n-th mutation point of the module
    line: int
    what: str

    @property
    def key(self) -> str:
        return f"{self.module}:{self.line}:{self.what}"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _in_fstrings(tree: ast.AST) -> set[int]:
    return {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
            for part in ast.walk(node)}


def _points(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every node that can be mutated, with a description, in a stable order."""
    skip = _docstrings(tree) | _in_fstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    yield node, f"compare{i}:{type(op).__name__}"
        elif isinstance(node, ast.BoolOp | ast.BinOp) and type(node.op) in SWAPS:
            yield node, f"op:{type(node.op).__name__}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not"
        elif isinstance(node, ast.Constant) and id(node) not in skip:
            if isinstance(node.value, bool):
                yield node, f"const:{node.value}"
            elif isinstance(node.value, int):
                yield node, f"int:{node.value}"
            elif isinstance(node.value, str):
                yield node, "str"


def _mutate(node: ast.AST, what: str) -> ast.AST:
    if isinstance(node, ast.Compare):
        i = int(what.split(":")[0].removeprefix("compare"))
        node.ops[i] = SWAPS[type(node.ops[i])]()
    elif isinstance(node, ast.BoolOp | ast.BinOp):
        node.op = SWAPS[type(node.op)]()
    elif isinstance(node, ast.UnaryOp):
        return node.operand
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        node.value = not node.value
    elif isinstance(node, ast.Constant) and isinstance(node.value, int):
        node.value = node.value + 1
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        node.value = "XX" + node.value + "XX"
    return node


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, what: str) -> None:
        self.target, self.what = target, what

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return _mutate(node, self.what)
        return super().generic_visit(node)


def mutants(module: str, root: Path = ROOT) -> list[Mutant]:
    """The module's mutants; where one line has several of a kind, the second and later
    from the left are told apart as `str#2`, `str#3` (so an equivalent is one mutant)."""
    tree = ast.parse((root / module).read_text())
    points = list(_points(tree))
    nth: dict[int, str] = {}
    groups: dict[tuple[int, str], list[int]] = {}
    for i, (node, what) in enumerate(points):
        groups.setdefault((getattr(node, "lineno", 0), what), []).append(i)
    for indexes in groups.values():
        for n, i in enumerate(sorted(indexes, key=lambda i: _column(points[i]))[1:], 2):
            nth[i] = f"#{n}"
    return [Mutant(module, i, getattr(node, "lineno", 0), what + nth.get(i, ""))
            for i, (node, what) in enumerate(points)]


def _column(point: tuple[ast.AST, str]) -> tuple[int, int]:
    """Where the mutated token starts: a node's, or a comparison's n-th right operand."""
    node, what = point
    if isinstance(node, ast.Compare):
        node = node.comparators[int(what.split(":")[0].removeprefix("compare"))]
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def mutated_source(mutant: Mutant, source: str) -> str:
    """`source` (the module's unmutated text) with `mutant` applied."""
    tree = ast.parse(source)
    node, what = list(_points(tree))[mutant.index]
    tree = _Replace(node, what).visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree))


def _copy_repo() -> Path:
    """A copy of the repository in `<tmp>/repo`, with `<tmp>/shared` linked to `../shared`
    (the corpora tests read), so the copy's tests run as the checkout's do."""
    repo = Path(tempfile.mkdtemp(prefix="mcgen-mutate-")) / "repo"
    repo.mkdir()
    if (ROOT.parent / "shared").is_dir():
        (repo.parent / "shared").symlink_to(ROOT.parent / "shared")
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".mypy_cache",
                                    ".ruff_cache", ".pytest_cache")
    for name in os.listdir(ROOT):
        if name in (".venv", ".git") or name.endswith(".egg-info"):
            continue
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(source, repo / name)
    return repo


def _run_tests(repo: Path, args: list[str], timeout: float = 3600.0) -> int:
    """Run pytest in a forked child in `repo`; its exit code (-1 on timeout)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(repo)
            sys.path.insert(0, str(repo))
            os.environ["PYTHONPATH"] = str(repo)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            import pytest

            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-m", "not slow",
                                f"--basetemp={repo.parent / 'tmp'}", *args])
        except BaseException:
            code = 99
        os._exit(int(code))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return -1


def _equivalent() -> dict[str, str]:
    if not EQUIVALENT.exists():
        return {}
    found = {}
    for line in EQUIVALENT.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition(" ")
            found[key] = reason.strip()
    return found


@dataclass(frozen=True)
class Score:
    module: str
    mutants: int
    killed: int
    equivalent: int
    survivors: tuple[str, ...]

    @property
    def ratio(self) -> float:
        counted = self.mutants - self.equivalent
        return self.killed / counted if counted else 1.0

    @property
    def row(self) -> str:
        return (f"| {self.module} | {self.killed} | {self.mutants} | {self.equivalent} "
                f"| {self.ratio:.0%} |")


def _score(repo: Path, target: str, equivalent: dict[str, str]) -> Score | None:
    """The mutants of `target` (a module, or `module:LINE,LINE` for those lines only)."""
    module, _, only = target.partition(":")
    lines = {int(n) for n in only.split(",") if n}
    args = tests_for(module)
    started = time.monotonic()
    if _run_tests(repo, args) != 0:
        print(f"{module}: its tests fail unmutated; skipped", flush=True)
        return None
    timeout = max(30.0, SLOWDOWN * (time.monotonic() - started))
    original = (repo / module).read_text()
    # mutants of the copy (taken at the start), so editing the checkout meanwhile is safe
    found = [m for m in mutants(module, repo) if not lines or m.line in lines]
    killed, same, survivors = 0, 0, []
    try:
        for mutant in found:
            (repo / module).write_text(mutated_source(mutant, original))
            code = _run_tests(repo, args, timeout)
            print(f"  {'killed' if code != 0 else 'passed'}: {mutant.key}", flush=True)
            if code != 0:
                killed += 1
            elif mutant.key in equivalent:
                same += 1
            else:
                survivors.append(mutant.key)
    finally:
        (repo / module).write_text(original)
    score = Score(module, len(found), killed, same, tuple(survivors))
    print(f"{module}: {killed}/{len(found)} killed, {same} equivalent: {score.ratio:.1%}",
          flush=True)
    return score


def main(modules: list[str]) -> int:
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    os.environ["MCGEN_FUZZ_EXAMPLES"] = os.environ.get("MCGEN_FUZZ_EXAMPLES", "10")
    for heavy in ("pytest", "hypothesis", "jinja2", "yaml", "ruamel.yaml", "jsonschema",
                  "jsonschema_rs", "click", "rich", "git", "cel"):
        with contextlib.suppress(ImportError):
            __import__(heavy)
    repo = _copy_repo()
    equivalent = _equivalent()
    scores: list[Score | None] = []
    try:
        scores = [_score(repo, module, equivalent) for module in modules]
    finally:
        shutil.rmtree(repo.parent, ignore_errors=True)
    scored = [s for s in scores if s is not None]
    print("\nsurvivors:", *(key for s in scored for key in s.survivors), sep="\n  ")
    print("\n| module | killed | mutants | equivalent | score |\n|---|---|---|---|---|",
          *(s.row for s in scored), sep="\n")
    below = [s.module for s in scored if s.ratio < BAR]
    print(f"\n{len(scored) - len(below)} of {len(modules)} modules at {BAR:.0%} or more "
          "of their non-equivalent mutants killed" + (f"; below: {', '.join(below)}"
                                                       if below else ""))
    return 0 if not below and len(scored) == len(modules) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(TARGETS)))
