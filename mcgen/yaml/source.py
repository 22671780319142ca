"""Human-edited YAML (fleet specs, policies) read with positions.

Documents come back as plain Python values plus a map from each value's path to where it
stands, so that every later error can name `file:line:col` without dragging ruamel types
through the package. Most texts are read by libyaml (`fastsource`); ruamel reads the rest
(`roundtrip`, imported only then), with the same result, 20 times slower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mcgen.confine import escapes, refusal
from mcgen.errors import InputError
from mcgen.location import Location
from mcgen.yaml import fastsource
from mcgen.yaml.text import NotUtf8, decode

PathKey = tuple[str | int, ...]

# An alias bomb expands to billions of nodes; real fleet specs have thousands.
MAX_NODES = 2_000_000
MAX_DEPTH = 200
# ruamel reads ~50 kB/s; a fleet spec of a thousand clusters is a few hundred kB.
MAX_CHARS = 2 * 1024 * 1024


@dataclass(frozen=True)
class SourceDocument:
    """One YAML document: its plain value and the position of every path inside it."""

    path: str
    value: object
    positions: dict[PathKey, Location] = field(repr=False)

    def where(self, at: PathKey) -> Location:
        """The position of `at`, or of its nearest ancestor that has one."""
        for end in range(len(at), -1, -1):
            found = self.positions.get(at[:end])
            if found is not None:
                return found
        return Location(self.path, 1, 1)


def load_file(path: str, display_path: str | None = None, root: str | None = None
              ) -> list[SourceDocument]:
    """Every document of a YAML file; raises InputError with a location on any problem.

    With `root`, a file that resolves outside it (a symlink) is refused unread.
    """
    shown = display_path or path
    return load_bytes(read_bytes(path, shown, root), shown)


def read_bytes(path: str, shown: str, root: str | None = None) -> bytes:
    """A file's bytes, or InputError located at `shown`; with `root`, a file that
    resolves outside it (a symlink) is refused unread."""
    real = escapes(path, root) if root else None
    if real:
        raise InputError([refusal(shown, real)])
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError.at(Location(shown), f"cannot read: {exc.strerror}") from exc


def load_bytes(data: bytes, shown: str) -> list[SourceDocument]:
    """Every document of a file's bytes `data`, shown as `shown`; as `load_file`."""
    text = decode(data)
    if isinstance(text, NotUtf8):
        raise InputError.at(Location(shown, text.line, text.column), text.message)
    return load_text(text, shown)


def load_text(text: str, path: str) -> list[SourceDocument]:
    """Every document of `text`, which is shown as `path` in errors.

    Read through libyaml when `fastsource` can give exactly ruamel's result, else by ruamel.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError.at(Location(path, line, 1), "a NUL byte: this is not a YAML text file")
    if len(text) > MAX_CHARS:
        raise InputError.at(Location(path, 1, 1), f"larger than {MAX_CHARS // 2**20} MiB: too "
                            "big for a file people write (split it, or look for a pasted blob)")
    depth_at = _too_deep(text)
    if depth_at:
        raise InputError.at(Location(path, depth_at, 1),
                            f"YAML nested more than {MAX_DEPTH} levels deep; refusing it")
    fast = fastsource.read(text, path, MAX_DEPTH, MAX_NODES)
    if fast is not None:
        return [SourceDocument(path, value, positions) for value, positions in fast]
    return load_text_with_ruamel(text, path)


def load_text_with_ruamel(text: str, path: str) -> list[SourceDocument]:
    """Every document of `text` as ruamel reads it (`mcgen.yaml.roundtrip`): the reference
    the fast path must match. Without the checks `load_text` makes first: call that."""
    from mcgen.yaml import roundtrip  # ruamel loads only for a text that needs it

    return roundtrip.load_text(text, path)


_SIGNIFICANT = re.compile(r"[\n'\"\[\]{}]")


def _too_deep(text: str) -> int:
    """The line where flow brackets or indentation pass MAX_DEPTH, else 0.

    ruamel's composer recurses per level and takes seconds to fail on a deep document;
    this look costs a millisecond. Quoted text is skipped roughly, erring towards depth.
    """
    depth, quote, line = 0, "", 1
    for match in _SIGNIFICANT.finditer(text):  # the only characters that change the state
        char, at = match.group(), match.start()
        if char == "\n":
            line += 1
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            if at == 0 or text[at - 1] in " \t\n[{,:":
                quote = char  # a quoted scalar opens only where a token starts: not "it's"
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        else:
            depth -= 1
    for number, row in enumerate(text.splitlines(), 1):
        if len(row) - len(row.lstrip(" ")) > 2 * MAX_DEPTH:
            return number
    return 0
