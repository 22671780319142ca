"""`mcgen kubeconform`: a drop-in for the kubeconform CLI, offline.

Same flags, file walking, document splitting, output formats and exit codes (0 when every
resource is valid, skipped or empty; 1 otherwise or on a flag error). When a
`kubeconform` binary is on PATH it is run instead, pointed at standalone schemas written
from the same offline set, so both paths judge alike (MCGEN_KUBECONFORM=builtin forces
the in-process validator).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from typing import IO

from mcgen import __version__
from mcgen.kubeconform.binary import run_binary
from mcgen.kubeconform.flags import USAGE, FlagError, Options, parse
from mcgen.kubeconform.output import (
    EMPTY,
    ERROR,
    INVALID,
    SKIPPED,
    VALID,
    Output,
    Result,
)
from mcgen.kubeconform.registry import TEMPLATE_VARIABLES, Registry
from mcgen.kubeconform.resources import Resource, load, walk

FORMATS = ("json", "junit", "pretty", "tap", "text")


def run(argv: list[str], stdin: IO[str], stdout: IO[str], stderr: IO[str],
        prog: str = "mcgen kubeconform") -> int:
    try:
        options = parse(argv)
    except FlagError as exc:
        stderr.write(f"{exc}\n{USAGE.format(prog=prog)}")
        return 1
    if options.help:
        stdout.write(USAGE.format(prog=prog))
        return 0
    if options.version:
        stdout.write(f"mcgen {__version__} (kubeconform-compatible)\n")
        return 0
    if options.output not in FORMATS:
        stderr.write(f"-output must be one of {', '.join(FORMATS)}\n")
        return 1
    problem = _startup_problem(options)
    if problem:
        stderr.write(problem)
        return 1
    binary = shutil.which("kubeconform")
    if binary and os.environ.get("MCGEN_KUBECONFORM") != "builtin":
        return run_binary(binary, argv, options)
    return _validate_all(options, stdin, stdout, stderr)


def _startup_problem(options: Options) -> str:
    """What kubeconform refuses before reading any file, as it words it."""
    version = options.kubernetes_version
    if version != "master" and not re.fullmatch(r"v?\d+\.\d+\.\d+", version):
        return (f'invalid value "{version}" for flag -kubernetes-version: {version} is not a '
                'valid version. Valid values are "master" (default) or full version x.y.z '
                '(e.g. "1.27.2")\n' + USAGE.format(prog="mcgen kubeconform"))
    if options.cache and not os.path.isdir(options.cache):
        return (f"failed opening cache folder {options.cache}: stat {options.cache}: "
                "no such file or directory\n")
    for location in options.schema_locations:
        unknown = set(re.findall(r"\{\{\s*\.(\w+)\s*\}\}", location)) - set(TEMPLATE_VARIABLES)
        if unknown or location.count("{{") != location.count("}}"):
            return (f"failed initialising schema location registry: template: {location!r}: "
                    f"can't evaluate field {', '.join(sorted(unknown)) or '?'}\n")
    return ""


def _validate_all(options: Options, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    use_stdin = not options.files or options.files == ["-"]
    if use_stdin and stdin.isatty():
        stderr.write("failing to read data from stdin\n")
        return 1
    out = Output(stdout, options.output, options.summary, options.verbose, use_stdin)
    registry = Registry(options.schema_locations, options.kubernetes_version, options.strict,
                        options.cache)
    try:
        patterns = [re.compile(p) for p in options.ignore_filename_patterns]
    except re.error as exc:
        stderr.write(f"invalid -ignore-filename-pattern: {exc}\n")
        return 1
    failed = False
    for path, text in _inputs(options, use_stdin, stdin, patterns):
        if text is None:
            out.add(Result(Resource(path, ""), ERROR, f"lstat {path}: no such file or directory"))
            failed = True
            continue
        for resource in load(path, text, options.strict):
            result = _judge(resource, options, registry)
            out.add(result)
            failed |= result.status in (INVALID, ERROR)
            if failed and options.exit_on_error:
                out.flush()
                return 1
    out.flush()
    for note in registry.notes:
        stderr.write(f"mcgen kubeconform: {note}\n")
    return 1 if failed else 0


def _inputs(options: Options, use_stdin: bool, stdin: IO[str],
            patterns: list[re.Pattern[str]]) -> Iterator[tuple[str, str | None]]:
    """(path, text) per input; text None for a path that cannot be read."""
    if use_stdin:
        yield "stdin", stdin.read()
        return
    for path in walk(options.files, patterns):
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                yield path, handle.read()
        except OSError:
            yield path, None


def _matches(resource: Resource, kinds: tuple[str, ...]) -> bool:
    return resource.kind in kinds or f"{resource.api_version}/{resource.kind}" in kinds


def _judge(resource: Resource, options: Options, registry: Registry) -> Result:
    if resource.error:
        return Result(resource, ERROR, resource.error)
    if resource.body is None or resource.body == {}:
        return Result(resource, EMPTY)
    if not isinstance(resource.body, dict):
        return Result(resource, ERROR, "error unmarshalling resource: not a mapping")
    for key in ("kind", "apiVersion"):
        if not resource.body.get(key):
            return Result(resource, ERROR, f"missing '{key}' key")
    if _matches(resource, options.skip):
        return Result(resource, SKIPPED)
    if _matches(resource, options.reject):
        return Result(resource, ERROR, f"prohibited resource kind {resource.kind}")
    validator = registry.validator(resource.kind, resource.api_version)
    if validator is None:
        if options.ignore_missing_schemas:
            return Result(resource, SKIPPED)
        return Result(resource, ERROR, f"could not find schema for {resource.kind}")
    try:
        errors = [("/" + "/".join(str(p) for p in e.instance_path), str(e.message))
                  for e in validator.iter_errors(resource.body)]
    except ValueError as exc:  # a key that is not a string cannot be JSON
        return Result(resource, ERROR, f"error unmarshalling resource: {exc}")
    if not errors:
        return Result(resource, VALID)
    detail = "; ".join(f"at '{p if p != '/' else ''}': {m}" for p, m in errors)
    message = f"problem validating schema. Check JSON formatting: jsonschema: {detail}"
    return Result(resource, INVALID, message.replace("\n", " "), errors)


def main() -> None:
    """Console entry for running the module directly."""
    sys.exit(run(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr, prog=sys.argv[0]))
