"""Files to documents, as kubeconform reads them: folders walked, `---` splits, Lists expanded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from mcgen.kubeconform.patterns import Matcher
from mcgen.yaml.manifests import read_document
from mcgen.yaml.resolve import json_key
from mcgen.yaml.text import NotUtf8, decode

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Resource:
    path: str
    text: str
    body: object = None
    error: str = ""
    named: dict[str, object] | None = None  # what names it when the body could not be read

    @property
    def signature(self) -> dict[str, object]:
        if isinstance(self.body, dict):
            return self.body
        return self.named or {}

    @property
    def kind(self) -> str:
        return go_string(self.signature.get("kind"))

    @property
    def api_version(self) -> str:
        return go_string(self.signature.get("apiVersion"))

    @property
    def name(self) -> str:
        meta = self.signature.get("metadata")
        if not isinstance(meta, dict):
            return ""
        generate = go_string(meta.get("generateName"))
        return f"{generate}{{{{ generateName }}}}" if generate else go_string(meta.get("name"))

    @property
    def namespace(self) -> str:
        meta = self.signature.get("metadata")
        return go_string(meta.get("namespace")) if isinstance(meta, dict) else ""

    def slim(self) -> Shown:
        """What an output keeps of it to print at the end: its names, not its text or body
        (20,000 kept bodies were most of a run's peak memory)."""
        return Shown(self.path, self.kind, self.name, self.api_version, self.namespace)


class Shown(NamedTuple):
    """A resource's names, as the outputs print them."""

    path: str
    kind: str
    name: str
    api_version: str
    namespace: str


def go_string(value: object) -> str:
    """A signature field as resource.go's Signature() reads it into a Go string: scalars
    spelled as sigs.k8s.io/yaml coerces them (`1e3` is "1000", `true` "true"), "" else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | float):
        return json_key(value) or ""
    if isinstance(value, int):
        return str(value)
    return ""


def walk(paths: list[str], ignore: list[Matcher]) -> Iterator[str]:
    """Files in argument order; folders recursively in lexical order, filtered by suffix."""
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    full = os.path.join(folder, name)
                    if name.endswith(SUFFIXES) and not any(match(full) for match in ignore):
                        yield full
        elif not any(match(path) for match in ignore):
            yield path


# pkg/resource/stream.go and files.go: bufio.Scanner with a 4 MiB buffer
# ("4MB ought to be enough for everybody"); a longer document stops the scan.
MAX_RESOURCE = 4 * 1024 * 1024
TOO_LONG = "bufio.Scanner: token too long"
_SEPARATOR_BYTES = b"\n---"


def split_document(data: bytes, at_eof: bool) -> tuple[int, bytes] | None:
    """stream.go's SplitYAMLDocument: (bytes consumed, document), or None for more data.

    A separator is a line that starts with `---` (the rest of it is dropped); at the end of
    the input a separator with no newline after it and text after `---` ends the scan.
    """
    found = data.find(_SEPARATOR_BYTES)
    if found >= 0:
        after = found + len(_SEPARATOR_BYTES)
        if after == len(data):
            return (len(data), data[:found]) if at_eof else None
        newline = data.find(b"\n", after)
        return (newline + 1, data[:found]) if newline >= 0 else None
    return (len(data), data) if at_eof and data else None


def scan(stream: BinaryIO) -> Iterator[bytes | ScanError]:
    """The documents of `stream` as kubeconform's scanner cuts them, reading at most
    MAX_RESOURCE bytes ahead: memory stays bounded whatever the input."""
    buffer, at_eof = b"", False
    while True:
        cut = split_document(buffer, at_eof)
        if cut is not None:
            yield cut[1]
            buffer = buffer[cut[0]:]
            continue
        if at_eof:
            return
        if len(buffer) >= MAX_RESOURCE:
            yield ScanError(TOO_LONG)
            return
        chunk = stream.read(min(1024 * 1024, MAX_RESOURCE - len(buffer)))
        at_eof = not chunk
        buffer += chunk


@dataclass(frozen=True)
class ScanError:
    """Why reading a file or stream stopped (kubeconform's DiscoveryError)."""

    message: str


def load(path: str, raw: bytes, strict: bool) -> Iterator[Resource]:
    """One document's resources: none for an empty one, a List's items, else itself."""
    text = decode(raw)
    if isinstance(text, NotUtf8):
        yield Resource(path, "", None, "error unmarshalling resource: error converting YAML "
                       f"to JSON: yaml: invalid UTF-8 at line {text.line}, column {text.column}")
        return
    if not text:
        yield Resource(path, text)
        return
    yield from _parse(path, text, strict)


def _parse(path: str, document: str, strict: bool) -> Iterator[Resource]:
    body, error = read_document(document, strict)
    if error:
        # The outputs name the object from a lenient read (resource.go, Signature()).
        lenient = read_document(document, False).value if strict else None
        yield Resource(path, document, None, f"error unmarshalling resource: {error}",
                       lenient if isinstance(lenient, dict) else None)
        return
    items = _list_items(body)
    if items is None:
        yield Resource(path, document, body)
        return
    for item in items:
        yield Resource(path, document, item)
    if not items:
        yield Resource(path, document)  # an empty List: nothing to count, but its file


def _list_items(body: object) -> list[object] | None:
    """resource.go, Resources(): a kind that is `list` in any case, with a kind and an
    apiVersion, is a List; its items are the last key spelled `items` in any case
    (encoding/json's folding), and missing, null or not a list reads as no items."""
    if not isinstance(body, dict):
        return None
    kind, version = body.get("kind"), body.get("apiVersion")
    if not (isinstance(kind, str) and kind.lower() == "list" and isinstance(version, str)
            and version):
        return None
    items: object = body.get("Items")
    if "Items" not in body:
        for key, value in body.items():
            if key.lower() == "items":
                items = value
    return items if isinstance(items, list) else []
