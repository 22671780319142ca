"""The ownership record: which files of the tree mcgen generated, and their hashes.

It lets mcgen remove generated files the fleet no longer produces, tell a hand edit
from a stale render, and never touch a file somebody else wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from collections.abc import Mapping

from mcgen.errors import InputError
from mcgen.location import Location, Problem

RECORD_VERSION = 1


def record_path(output_dir: str, fleet: str) -> str:
    return posixpath.join(output_dir.rstrip("/"), f".mcgen-{fleet}.json")


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def record_text(fleet: str, spec_path: str, digests: Mapping[str, str]) -> str:
    """The record of `digests` (path -> digest) as indented JSON, written by hand: json's
    indenting encoder is pure Python and takes a second on a fleet of 100,000 files."""
    entries = ",\n".join(f"    {_quoted(path)}: \"{value}\""
                          for path, value in sorted(digests.items()))
    head = {"fleet": fleet, "generatedBy": "mcgen", "spec": spec_path}
    fields = "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in head.items())
    return (f"{{\n  \"files\": {{\n{entries}\n  }},\n{fields}"
            f"  \"version\": {RECORD_VERSION}\n}}\n")


def _quoted(path: str) -> str:
    """`json.dumps(path)`, without its cost for the printable ASCII paths mcgen makes."""
    if path.isascii() and path.isprintable() and '"' not in path and "\\" not in path:
        return f'"{path}"'
    return json.dumps(path)


def read_record(root: str, relpath: str) -> dict[str, str]:
    """The recorded {path: digest}, or {} when there is no record yet.

    The record sits in the work tree, where a pull request can edit it: every path in it
    must lie inside the record's own folder, or mcgen would read (and print in a diff) or
    delete files anywhere.
    """
    path = os.path.join(root, relpath)
    try:
        if os.path.islink(path):
            raise ValueError("it is a symlink")
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        body = json.loads(text)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError.at(Location(relpath, 1, 1),
                            f"unreadable ownership record ({exc}); restore it from git") from exc
    files = body.get("files") if isinstance(body, dict) else None
    if not isinstance(files, dict):
        raise InputError.at(Location(relpath, 1, 1), "ownership record has no 'files' map")
    folder = posixpath.dirname(relpath)
    strays = [Problem(_line_of(relpath, text, key),
                      f"ownership record lists {key!r}, outside its folder {folder + '/'!r}; "
                      "mcgen only owns files there: restore the record from git")
              for key in files if not _inside(str(key), folder)]
    if strays:
        raise InputError(strays)
    return {str(k): str(v) for k, v in files.items()}


def _inside(path: str, folder: str) -> bool:
    return (posixpath.normpath(path) == path and path.startswith(folder + "/")
            and "\x00" not in path)


def _line_of(relpath: str, text: str, key: str) -> Location:
    at = text.find(json.dumps(key))
    return Location(relpath, text.count("\n", 0, at) + 1 if at >= 0 else 1, 1)
