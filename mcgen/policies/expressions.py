"""CEL through the `cel` package: compiling with positions, evaluating on plain data.

Only this module imports `cel`. What Kubernetes adds to CEL on an API server (the
`authorizer`, `quantity()`, `url()`, `ip()`, `cidr()`, `semver()`, `format` and regex
`find` libraries) is not available offline: an expression using it is reported, naming
the function, instead of failing somewhere in the middle of a lint run.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Kubernetes CEL libraries the package lacks, and what they need.
UNSUPPORTED_FUNCTIONS = {
    "quantity": "the Kubernetes quantity library", "isQuantity": "the Kubernetes quantity library",
    "url": "the Kubernetes URL library", "isURL": "the Kubernetes URL library",
    "ip": "the Kubernetes IP library", "isIP": "the Kubernetes IP library",
    "cidr": "the Kubernetes CIDR library", "isCIDR": "the Kubernetes CIDR library",
    "semver": "the Kubernetes semver library", "isSemver": "the Kubernetes semver library",
    "find": "the Kubernetes regex library", "findAll": "the Kubernetes regex library",
    "format": "the Kubernetes format library",
}
UNSUPPORTED_VARIABLES = {
    "authorizer": "the API server's authorizer (RBAC checks need a live cluster)",
}


@functools.cache
def _cel() -> Any:
    """The `cel` package, loaded when a policy first needs it: importing it loads its
    command line too (prompt_toolkit), a tenth of a second or more that every lint of a
    fleet without CEL policies would pay."""
    import cel
    import cel.stdlib

    return cel


@functools.cache
def _functions() -> dict[str, Any]:
    return {name: function for library in _cel().stdlib.EXTENSIONS.values()
            for name, function in library.items()}

_POSITION = re.compile(r"<input>:(\d+):(\d+)")
# Macros bind their own variables: `.all(t, ...)`, `.transformMap(k, v, ...)`.
_BOUND = re.compile(r"\.(?:all|exists|exists_one|existsOne|map|filter|transformList|"
                    r"transformMap|transformMapEntry)\(\s*([A-Za-z_]\w*)\s*,(?:\s*([A-Za-z_]\w*)\s*,)?")
_UNDEFINED = re.compile(r"Undefined variable or function: '([^']+)'")


class ExpressionError(Exception):
    """An expression that does not compile, or uses what mcgen cannot evaluate offline.

    `line` and `column` are 1-based inside the expression (0 when unknown).
    """

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Expression:
    text: str
    program: Any = field(repr=False, compare=False)
    names: frozenset[str] = field(default=frozenset(), repr=False, compare=False)  # it reads


def compile_expression(text: str, variables: frozenset[str]) -> Expression:
    """Compile `text`; raises ExpressionError for syntax errors and unknown or
    unsupported names (`variables` are the names the expression may use)."""
    try:
        program = _cel().compile(text)
    except ValueError as exc:
        found = _POSITION.search(str(exc))
        detail = str(exc).split("ERROR: ", 1)[-1].split("\n", 1)[0]
        line, column = (int(found[1]), int(found[2])) if found else (0, 0)
        raise ExpressionError(f"CEL syntax error: {_strip(detail)}", line, column) from exc
    bound = {name for found in _BOUND.findall(text) for name in found if name}
    _check_names(program, variables | bound)
    return Expression(text, program, frozenset(program.variables()))


def _strip(detail: str) -> str:
    return _POSITION.sub("", detail).strip(" :")


def _check_names(program: Any, variables: frozenset[str]) -> None:
    for name in program.variables():
        if name in UNSUPPORTED_VARIABLES:
            raise ExpressionError(
                f"uses {name!r}: {UNSUPPORTED_VARIABLES[name]} cannot be evaluated offline")
        if name not in variables:
            known = ", ".join(sorted(variables))
            raise ExpressionError(f"unknown variable {name!r} (available: {known})")
    for name in program.functions():
        if name in UNSUPPORTED_FUNCTIONS:
            raise ExpressionError(
                f"uses the CEL function {name}() from {UNSUPPORTED_FUNCTIONS[name]}, which "
                "mcgen cannot evaluate offline; rewrite the check without it")


class Scope:
    """The variables of one object, converted for CEL once for all of a policy's checks.

    Only `names` are converted: those the policy's expressions read. Converting the
    others, the whole `fleet` view above all, for every object made a large fleet's lint
    quadratic.
    """

    def __init__(self, variables: Mapping[str, object], names: frozenset[str]) -> None:
        self._context = _cel().Context(
            variables={k: plain(v) for k, v in variables.items() if k in names},
            functions=_functions())

    def set(self, name: str, value: object) -> None:
        """Bind (or rebind) one variable, e.g. a VAP's `variables` as they are computed."""
        self._context.add_variable(name, plain(value))

    def evaluate(self, expression: Expression) -> object:
        """The value of `expression`; raises ExpressionError on any evaluation error."""
        try:
            return expression.program.execute(self._context)
        except KeyError as exc:
            raise ExpressionError(f"no such key {exc.args[0]!r} (guard optional fields "
                                  "with has())") from exc
        except Exception as exc:  # the cel package raises bare Runtime/Type/ValueErrors
            missing = _UNDEFINED.search(str(exc))
            if missing:
                raise ExpressionError(f"the CEL function or variable {missing[1]!r} is not "
                                      "available offline") from exc
            raise ExpressionError(str(exc).split("\n", 1)[0]) from exc


_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value: object) -> object:
    """YAML values as CEL accepts them: dates and times become RFC 3339 strings."""
    if type(value) in _AS_IS:  # most of a body: skip the slower isinstance checks below
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value
