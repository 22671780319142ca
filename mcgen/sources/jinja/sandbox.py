"""The Jinja2 sandbox templates run in: no Python internals, no files, no environment."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable
from typing import Any

import jinja2
import jinja2.runtime
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from mcgen.errors import InputError
from mcgen.location import Location
from mcgen.sources.jinja import growth
from mcgen.sources.jinja.compiled import CompiledTemplates
from mcgen.sources.jinja.guards import guarded_filters
from mcgen.sources.jinja.hints import go_hint, raw_advice
from mcgen.sources.jinja.limits import (
    bounded_filters,
    check_format,
    check_method,
    check_percent,
)
from mcgen.sources.jinja.undefined import FleetUndefined
from mcgen.yaml.emit import to_yaml
from mcgen.yaml.text import NotUtf8, decode

TEMPLATE_SUFFIX = ".yaml.j2"


class RepoTemplateLoader(jinja2.BaseLoader):
    """Loads `templates/<name>/...` and refuses anything resolving outside `templates/`."""

    def __init__(self, templates_dir: str) -> None:
        self.templates_dir = os.path.realpath(templates_dir)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, None]:
        parts = template.split("/")
        if template.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in template:
            raise jinja2.TemplateNotFound(template)
        path = os.path.realpath(os.path.join(self.templates_dir, *parts))
        if not path.startswith(self.templates_dir + os.sep) or not os.path.isfile(path):
            raise jinja2.TemplateNotFound(template)
        with open(path, "rb") as handle:
            source = decode(handle.read())  # a leading byte order mark dropped, as kubectl does
        if isinstance(source, NotUtf8):
            raise InputError.at(Location(f"templates/{template}", source.line, source.column),
                                source.message)
        # no `uptodate` check: the environment does not auto-reload (make_environment), so
        # each template is read once and a render sees one set of templates
        return source, path, None


def _to_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _b64encode(value: object) -> str:
    return base64.b64encode(str(value).encode()).decode()


def _sha256(value: object) -> str:
    return hashlib.sha256(str(value).encode()).hexdigest()


MAX_REPEAT = 1_000_000  # the longest string or list `*` may build
MAX_EXPONENT = 4096


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's compiler, but `~` and the buffers of macros and blocks are sized (growth)."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.text_buffer()")

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class FleetSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, plus bounds on every step that grows a value (`*`, `**`,
    `%`, `+`, `~`, the str methods that pad or multiply): `'x' * 10**12` and `9**9**9`
    would otherwise exhaust the machine in CI; and sets in a deterministic order."""

    intercepted_binops = frozenset({"*", "**", "%", "+", "-"})
    code_generator_class = BoundedCodeGenerator
    text_buffer = growth.TextBuffer
    bounded_concat = staticmethod(growth.concat)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,
             *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            args = check_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str | list):  # a macro calling itself twice doubles its text
            name = getattr(__obj, "name", None) or getattr(__obj, "__name__", "a function")
            growth.check_result(result, f"calling {name}")
        return growth.ordered(result)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner, name = value.__self__, value.__name__
        check_format(owner)

        def sized(*args: Any, **kwargs: Any) -> str:
            growth.fan_out(owner, (*args, *kwargs.values()), f"str.{name}")
            return wrapped(*args, **kwargs)

        return sized

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: object,
                   right: object) -> object:
        if operator == "%" and isinstance(left, str):
            check_percent(left)
            growth.fan_out(left, right, "`%`")
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise jinja2.exceptions.SecurityError(f"exponent {right} is too large")
        if operator in ("*", "**"):
            growth.check_integer(operator, left, right)
        elif operator == "+":
            growth.check_plus(left, right)
        elif operator == "-":
            return growth.ordered(super().call_binop(context, operator, left, right))
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int) and (
                        len(seq) * count > MAX_REPEAT):
                    raise jinja2.exceptions.SecurityError(
                        f"repeating a sequence {count} times would exceed {MAX_REPEAT:,} items")
        return super().call_binop(context, operator, left, right)


_AT_OFFSET = re.compile(r" at \d+$")  # Jinja's offset into the whole text: the column says it
_ADDRESS = re.compile(r"<[^<>\n]* at 0x[0-9a-fA-F]+>")


def _printable(value: object) -> str:
    """What `{{ }}` writes; never a memory address (`{{ values.items }}` without `()`),
    which would differ on every run and break byte-for-byte determinism."""
    if not isinstance(value, str):
        value = growth.ordered(value)
        growth.text_size(value)
    text = str(value)
    found = _ADDRESS.search(text)
    if found:
        raise jinja2.exceptions.SecurityError(
            f"this prints {found.group(0).split(' at ')[0]}>, not a value (a missing `()`?)")
    return text


def make_environment(templates_dir: str, compiled: str | None = None
                     ) -> ImmutableSandboxedEnvironment:
    """A sandboxed, strict environment: an undefined name is an error, never ''. With
    `compiled`, the folder where what each template compiles to is kept between runs
    (`mcgen.sources.jinja.compiled`)."""
    env = FleetSandbox(
        loader=RepoTemplateLoader(templates_dir),
        bytecode_cache=CompiledTemplates(compiled) if compiled is not None else None,
        undefined=FleetUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_printable,
    )
    env.filters.update(to_yaml=to_yaml, to_json=_to_json, b64encode=_b64encode, sha256=_sha256)
    env.filters.update(bounded_filters(env.filters))
    del env.filters["random"]  # output must be byte-for-byte deterministic
    env.filters.update(guarded_filters(env.filters))
    env.globals.clear()
    # The sandbox's range refuses more than 100,000 items; the builtin would not.
    env.globals.update(range=safe_range, dict=dict)
    return env


def template_error(exc: BaseException, shown: str, source_path: str) -> InputError:
    """A located InputError for a template that failed to compile or render."""
    line = getattr(exc, "lineno", None) or _line_in_traceback(exc, source_path) or 1
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, jinja2.TemplateSyntaxError):
        go = go_hint(exc.source, int(line))
        if go is not None:
            return InputError.at(Location(shown, int(line), go.column),
                                 f"template syntax error: {_AT_OFFSET.sub('', message)}: "
                                 f"{raw_advice(go)}")
        message = f"template syntax error: {message}"
    elif isinstance(exc, jinja2.UndefinedError):
        message = f"undefined in template: {message}"
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        message = f"template refused by the sandbox: {message}"
    elif isinstance(exc, jinja2.TemplateNotFound):  # an OSError too: first
        message = f"template not found (only files under templates/ can be included): {message}"
    elif isinstance(exc, OSError):
        message = f"cannot read this template: {exc.strerror}"
    else:
        message = f"template error: {type(exc).__name__}: {message}"
    return InputError.at(Location(shown, int(line), 1), message)


def _line_in_traceback(exc: BaseException, source_path: str) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == source_path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
