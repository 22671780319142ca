"""kubeconform's output formats, line for line: text, json, tap, junit, pretty."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, cast
from xml.sax.saxutils import quoteattr

from mcgen.kubeconform.resources import Resource, Shown

VALID, INVALID, ERROR, SKIPPED, EMPTY = "Valid", "Invalid", "Error", "Skipped", "Empty"


@dataclass(slots=True)
class Result:
    resource: Resource | Shown
    status: str
    message: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, msg)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


@dataclass
class Output:
    stream: IO[str]
    fmt: str
    summary: bool
    verbose: bool
    stdin: bool
    results: list[Result] = field(default_factory=list)  # kept for junit only, slimmed
    tally: dict[str, int] = field(default_factory=dict)  # non-empty results by status
    files: set[str] = field(default_factory=set)
    # What JSON prints (every result with -verbose, empty documents too; else the invalid
    # and failed ones) and TAP's lines, spooled to a temporary file as they come: kept in
    # memory, 20,000 small records pinned the memory of the bodies read between them.
    spool: Spool = field(default_factory=lambda: Spool())
    started: float = field(default_factory=time.monotonic)

    def add(self, result: Result) -> None:
        self.files.add(result.resource.path)
        if self.fmt == "tap":
            self.spool.add(_tap_line(self.spool.count + 1, result))
        if self.fmt == "json" and (self.verbose or result.status in (INVALID, ERROR)):
            self.spool.add(json.dumps(_json_entry(result), ensure_ascii=False))
        if result.status == EMPTY:
            return
        self.tally[result.status] = self.tally.get(result.status, 0) + 1
        if self.fmt == "junit":
            self.results.append(_slim(result))
        if self.fmt in ("text", "pretty"):
            line = (_text if self.fmt == "text" else _pretty)(result, self.verbose)
            if line:
                self.stream.write(line + "\n")

    def counts(self) -> dict[str, int]:
        return {s: self.tally.get(s, 0) for s in (VALID, INVALID, ERROR, SKIPPED)}

    def summary_line(self) -> str:
        c = self.counts()
        where = "parsing stdin" if self.stdin else f"in {_plural(len(self.files), 'file')}"
        return (f"Summary: {_plural(sum(c.values()), 'resource')} found {where} - Valid: "
                f"{c[VALID]}, Invalid: {c[INVALID]}, Errors: {c[ERROR]}, Skipped: {c[SKIPPED]}")

    def flush(self) -> None:
        if self.fmt in ("text", "pretty") and self.summary:
            self.stream.write(self.summary_line() + "\n")
        elif self.fmt == "json":
            _write_json(self)
        elif self.fmt == "tap":
            _write_tap(self.stream, self.spool)
        elif self.fmt == "junit":
            self.stream.write(_junit(self.results, time.monotonic() - self.started))
        self.spool.close()


def _text(result: Result, verbose: bool) -> str:
    r = result.resource
    if result.status == VALID:
        return f"{r.path} - {r.kind} {r.name} is valid" if verbose else ""
    if result.status == INVALID:
        return f"{r.path} - {r.kind} {r.name} is invalid: {result.message}"
    if result.status == ERROR:
        if r.kind and r.name:
            return f"{r.path} - {r.kind} {r.name} failed validation: {result.message}"
        return f"{r.path} - failed validation: {result.message}"
    return f"{r.path} - {r.name} {r.kind} skipped" if verbose else ""


GREEN, RED, YELLOW, RESET = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[0m"


def _pretty(result: Result, verbose: bool) -> str:
    r = result.resource
    if result.status == VALID:
        return f"{GREEN}✔{RESET} {r.path}: {GREEN}{r.kind} {r.name} is valid{RESET}" if verbose \
            else ""
    if result.status == INVALID:
        return f"{RED}✖{RESET} {r.path}: {RED}{r.kind} {r.name} is invalid: {result.message}{RESET}"
    if result.status == ERROR:
        return f"{RED}✖{RESET} {r.path}: {RED}{r.kind} failed validation: {result.message}{RESET}"
    return f"{YELLOW}-{RESET} {r.path}: {YELLOW}{r.kind} {r.name} skipped{RESET}" if verbose \
        else ""


def _write_json(out: Output) -> None:
    """pkg/output/json.go, Flush: json.MarshalIndent of every result shown, laid out as
    Go's MarshalIndent does (what json.dumps with indent=2 writes), written entry by entry."""
    write = out.stream.write
    write('{\n  "resources": [')
    for number, entry in enumerate(out.spool):
        write(("," if number else "") + "\n    " + _indented(json.loads(entry), "    "))
    write("\n  ]" if out.spool.count else "]")
    if out.summary:
        c = out.counts()
        summary = {"valid": c[VALID], "invalid": c[INVALID], "errors": c[ERROR],
                   "skipped": c[SKIPPED]}
        write(',\n  "summary": ' + json.dumps(summary, indent=2).replace("\n", "\n  "))
    write("\n}\n")


def _indented(value: object, pad: str) -> str:
    """`value` as json.dumps(indent=2) lays it out at `pad`. Not json.dumps itself: with an
    indent it builds closures that form reference cycles, one set per call, which the
    disabled cyclic collector (cli.main) never frees: 20,000 entries held ~50 MiB."""
    inner = pad + "  "
    if isinstance(value, dict) and value:
        items = (f"{inner}{json.dumps(k, ensure_ascii=False)}: {_indented(v, inner)}"
                 for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def _json_entry(result: Result) -> dict[str, object]:
    entry: dict[str, object] = {
        "filename": result.resource.path, "kind": result.resource.kind,
        "name": result.resource.name, "version": result.resource.api_version,
        "status": f"status{result.status}", "msg": result.message,
    }
    if result.errors:
        entry["validationErrors"] = [{"path": p, "msg": m} for p, m in result.errors]
    return entry


def _slim(result: Result) -> Result:
    r = result.resource
    shown = r if isinstance(r, Shown) else r.slim()
    return Result(shown, result.status, result.message, result.errors)


def _tap_line(number: int, result: Result) -> str:
    """pkg/output/tap.go: `ok`/`not ok`, the qualified name except on errors, `# skip`
    on skipped resources, `(empty)` for empty documents."""
    r = result.resource
    name = f"{r.path} ({r.api_version}/{r.kind}/{r.namespace}/{r.name})"
    return {
        VALID: f"ok {number} - {name}",
        INVALID: f"not ok {number} - {name}: {result.message}",
        EMPTY: f"ok {number} - {r.path} (empty)",
        ERROR: f"not ok {number} - {r.path}: {result.message}",
        SKIPPED: f"ok {number} - {name} # skip",
    }[result.status]


def _write_tap(stream: IO[str], lines: Spool) -> None:
    """The TAP document: no header without results."""
    if lines.count:
        stream.write("TAP version 13\n")
    for line in lines:
        stream.write(line + "\n")
    stream.write(f"1..{lines.count}\n")


class Spool:
    """Lines kept in a temporary file (in memory up to 1 MiB), read back in order."""

    def __init__(self) -> None:
        self.file: IO[str] | None = None
        self.count = 0

    def add(self, line: str) -> None:
        if self.file is None:
            self.file = cast(IO[str], tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by flush)
                max_size=1 << 20, mode="w+", encoding="utf-8", newline="\n"))
        self.file.write(json.dumps(line) + "\n")  # one line whatever the text holds
        self.count += 1

    def __iter__(self) -> Iterator[str]:
        if self.file is None:
            return
        self.file.seek(0)
        for line in self.file:
            yield str(json.loads(line))

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _junit(results: list[Result], seconds: float) -> str:
    files: dict[str, list[Result]] = {}
    for result in results:
        files.setdefault(result.resource.path, []).append(result)
    failures = sum(1 for r in results if r.status == INVALID)
    errors = sum(1 for r in results if r.status == ERROR)
    # pkg/output/junit.go: the run's duration in seconds (a float64, Go's shortest form).
    head = (f'<testsuites name="kubeconform" time="{_go_seconds(seconds)}" '
            f'tests="{len(results)}" '
            f'failures="{failures}" disabled="0" errors="{errors}">')
    if not results:
        return head + "</testsuites>\n"
    lines = [head]
    for number, (path, found) in enumerate(files.items(), 1):
        lines.append(
            f'  <testsuite name={quoteattr(path)} id="{number}" tests="{len(found)}" '
            f'failures="{sum(r.status == INVALID for r in found)}" '
            f'errors="{sum(r.status == ERROR for r in found)}" disabled="0" '
            f'skipped="{sum(r.status == SKIPPED for r in found)}">')
        lines.extend(_case(result) for result in found)
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"


def _case(result: Result) -> str:
    r = result.resource
    opening = (f'    <testcase name={quoteattr(r.name)} '
               f'classname={quoteattr(f"{r.kind}@{r.api_version}")} time="0">')
    tag = {INVALID: "failure", ERROR: "error", SKIPPED: "skipped"}.get(result.status)
    if tag is None:
        return opening + "</testcase>"
    return (f"{opening}\n      <{tag} message={quoteattr(result.message)} type=\"\"></{tag}>\n"
            "    </testcase>")


def _go_seconds(seconds: float) -> str:
    """strconv.FormatFloat(seconds, 'g', -1, 64), as encoding/xml writes a float64."""
    text = repr(seconds)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa.removesuffix('.0')}e{exponent[0]}{int(exponent[1:]):02d}"
    return text.removesuffix(".0")
