"""Bytes to YAML text as kubectl takes them: a leading UTF-8 byte order mark dropped (goyaml's
reader skips it), anything that is not UTF-8 refused at the line and column it starts."""

from __future__ import annotations

from typing import NamedTuple

BOM = "\ufeff"


class NotUtf8(NamedTuple):
    """Where the first byte that is not UTF-8 stands (1-based), and what it is."""

    line: int
    column: int
    message: str


def decode(data: bytes) -> str | NotUtf8:
    """`data` as text without a leading byte order mark, or where it stops being UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return not_utf8(data, exc.start)
    return text[1:] if text.startswith(BOM) else text


def not_utf8(data: bytes, offset: int) -> NotUtf8:
    """The position of byte `offset`: its line, and its column counted in characters."""
    start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    if line == 1 and data.startswith(BOM.encode()):
        column -= 1
    byte = data[offset]
    return NotUtf8(line, column, f"not UTF-8 text: byte 0x{byte:02x} at byte offset {offset} "
                   "(a binary file, or another encoding? save it as UTF-8)")


def strip_bom(text: str) -> str:
    """`text` without a leading byte order mark, as goyaml's reader drops it."""
    return text[1:] if text.startswith(BOM) else text
