"""`mcgen kubeconform`: a drop-in for the kubeconform CLI, offline.

Same flags, file walking, document splitting, output formats and exit codes (0 when every
resource is valid, skipped or empty; 1 otherwise or on a flag error). When a
`kubeconform` binary is on PATH it is run instead, pointed at standalone schemas written
from the same offline set, so both paths judge alike (MCGEN_KUBECONFORM=builtin forces
the in-process validator).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterator
from functools import partial
from typing import IO, BinaryIO, cast

from mcgen import __version__
from mcgen.kubeconform.batches import judge_all
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
from mcgen.kubeconform.patterns import Matcher, compile_patterns
from mcgen.kubeconform.registry import TEMPLATE_VARIABLES, Registry
from mcgen.kubeconform.resources import Resource, ScanError, load, scan, walk
from mcgen.kubeconform.signature import signature_problem

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
    patterns = compile_patterns(options.ignore_filename_patterns)
    if isinstance(patterns, str):
        stderr.write(f"invalid -ignore-filename-pattern: {patterns}\n")
        return 1
    failed = False
    judge = partial(_judge, options=options, registry=registry)
    for result in judge_all(_resources(options, use_stdin, stdin, patterns), judge,
                            registry.notes, options.workers):
        out.add(result)
        failed |= result.status in (INVALID, ERROR)
        if failed and options.exit_on_error:
            break
    out.flush()
    for note in registry.notes:
        stderr.write(f"mcgen kubeconform: {note}\n")
    return 1 if failed else 0


def _resources(options: Options, use_stdin: bool, stdin: IO[str], patterns: list[Matcher]
               ) -> Iterator[Resource]:
    """Every resource of every input, read as a stream (memory stays bounded)."""
    if use_stdin:
        yield from _stream_resources("stdin", _binary(stdin), options.strict)
        return
    for path in walk(options.files, patterns):
        problem = _unreadable(path)
        if problem:
            yield Resource(path, "", None, problem)
            continue
        try:
            with open(path, "rb") as handle:
                yield from _stream_resources(path, handle, options.strict)
        except OSError as exc:
            yield Resource(path, "", None, f"open {path}: {exc.strerror}")


def _unreadable(path: str) -> str:
    """Why `path` is not read: missing (kubeconform's lstat error), or a FIFO or socket,
    which would block the run (kubeconform hangs there: docs/kubeconform.md)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return f"lstat {path}: no such file or directory"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return f"{path} is not a regular file (a FIFO or socket): not read"
    return ""


def _stream_resources(path: str, stream: BinaryIO, strict: bool) -> Iterator[Resource]:
    found = False
    for document in scan(stream):
        if isinstance(document, ScanError):
            yield Resource(path, "", None, document.message)
            return
        found = True
        yield from load(path, document, strict)
    if not found:
        yield Resource(path, "")  # files.go: a file with no document is one empty resource


def _binary(stdin: IO[str]) -> BinaryIO:
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return cast(BinaryIO, buffer)
    return io.BytesIO(stdin.read().encode("utf-8", "surrogateescape"))


def _matches(resource: Resource, kinds: tuple[str, ...]) -> bool:
    return resource.kind in kinds or f"{resource.api_version}/{resource.kind}" in kinds


def _judge(resource: Resource, options: Options, registry: Registry) -> Result:
    if resource.error:
        return Result(resource, ERROR, resource.error)
    if resource.body is None:
        return Result(resource, EMPTY)
    if not isinstance(resource.body, dict):
        return Result(resource, ERROR, "error unmarshalling resource: error unmarshaling JSON: "
                      "json: cannot unmarshal a non-object into Go value of type "
                      "map[string]interface {}")
    problem = signature_problem(resource.body)
    if problem:
        return Result(resource, ERROR, f"error while parsing: {problem}")
    if _matches(resource, options.skip):
        return Result(resource, SKIPPED)
    if _matches(resource, options.reject):
        return Result(resource, ERROR, f"prohibited resource kind {resource.kind}")
    validator = None if _control(resource) else registry.validator(resource.kind,
                                                                   resource.api_version)
    if validator is None:
        if options.ignore_missing_schemas:
            return Result(resource, SKIPPED)
        return Result(resource, ERROR, f"could not find schema for {resource.kind}")
    errors = [("".join(f"/{p}" for p in e.instance_path), str(e.message))
              for e in validator.iter_errors(resource.body)]
    if not errors:
        return Result(resource, VALID)
    detail = "; ".join(f"at '{p}': {m}" for p, m in errors)
    message = f"problem validating schema. Check JSON formatting: jsonschema: {detail}"
    return Result(resource, INVALID, message.replace("\n", " "), errors)


def _control(resource: Resource) -> bool:
    """A kind or apiVersion with control characters names no schema file or URL."""
    return any(ord(c) < 32 or ord(c) == 127 for c in resource.kind + resource.api_version)


def main() -> None:
    """Console entry for running the module directly."""
    sys.exit(run(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr, prog=sys.argv[0]))
