"""kubeconform's output formats, line for line: text, json, tap, junit, pretty."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import IO
from xml.sax.saxutils import quoteattr

from mcgen.kubeconform.resources import Resource

VALID, INVALID, ERROR, SKIPPED, EMPTY = "Valid", "Invalid", "Error", "Skipped", "Empty"


@dataclass
class Result:
    resource: Resource
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
    results: list[Result] = field(default_factory=list)  # kept for junit only
    tally: dict[str, int] = field(default_factory=dict)  # non-empty results by status
    files: set[str] = field(default_factory=set)
    # Every result in order, empty documents too: TAP numbers them, JSON -verbose lists them.
    written: list[Result] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(self, result: Result) -> None:
        self.files.add(result.resource.path)
        if self.fmt in ("tap", "json"):
            self.written.append(result)
        if result.status == EMPTY:
            return
        self.tally[result.status] = self.tally.get(result.status, 0) + 1
        if self.fmt == "junit":
            self.results.append(result)
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
            self.stream.write(_json(self) + "\n")
        elif self.fmt == "tap":
            self.stream.write(_tap(self.written))
        elif self.fmt == "junit":
            self.stream.write(_junit(self.results, time.monotonic() - self.started))


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


def _json(out: Output) -> str:
    # pkg/output/json.go, Write: -verbose lists every result, empty documents included.
    shown = [r for r in out.written if out.verbose or r.status in (INVALID, ERROR)]
    resources = []
    for result in shown:
        entry: dict[str, object] = {
            "filename": result.resource.path, "kind": result.resource.kind,
            "name": result.resource.name, "version": result.resource.api_version,
            "status": f"status{result.status}", "msg": result.message,
        }
        if result.errors:
            entry["validationErrors"] = [{"path": p, "msg": m} for p, m in result.errors]
        resources.append(entry)
    body: dict[str, object] = {"resources": resources}
    if out.summary:
        c = out.counts()
        body["summary"] = {"valid": c[VALID], "invalid": c[INVALID], "errors": c[ERROR],
                           "skipped": c[SKIPPED]}
    return json.dumps(body, indent=2, ensure_ascii=False)


def _tap(results: list[Result]) -> str:
    """pkg/output/tap.go: `ok`/`not ok`, the qualified name except on errors, `# skip`
    on skipped resources, `(empty)` for empty documents; no header without results."""
    lines = ["TAP version 13"] if results else []
    for number, result in enumerate(results, 1):
        r = result.resource
        name = f"{r.path} ({r.api_version}/{r.kind}/{r.namespace}/{r.name})"
        lines.append({
            VALID: f"ok {number} - {name}",
            INVALID: f"not ok {number} - {name}: {result.message}",
            EMPTY: f"ok {number} - {r.path} (empty)",
            ERROR: f"not ok {number} - {r.path}: {result.message}",
            SKIPPED: f"ok {number} - {name} # skip",
        }[result.status])
    lines.append(f"1..{len(results)}")
    return "\n".join(lines) + "\n"


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
