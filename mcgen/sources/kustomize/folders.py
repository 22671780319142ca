"""What a kustomize folder reads: itself and every local folder it names, transitively.

kustomize reads files only inside a kustomization's own folder (its default load
restriction) but folders anywhere, so the folders named under `resources`, `bases` and
`components` are all a build's inputs. Remote ones are refused: mcgen renders offline,
from the repository alone.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Iterable

from mcgen.location import Location, Problem
from mcgen.yaml.manifests import read_document

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
REFERENCES = ("resources", "bases", "components")
_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*://|git@)|\?ref=|//", re.I)
_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+/", re.I)  # github.com/org/repo/...


def kustomization_of(root: str, folder: str) -> str | None:
    """The repo-relative kustomization file of `folder`, if it has one."""
    for name in KUSTOMIZATION_NAMES:
        if os.path.isfile(os.path.join(root, folder, name)):
            return posixpath.join(folder, name)
    return None


def closure(root: str, folder: str) -> list[str] | list[Problem]:
    """`folder` and every local folder its kustomizations name, in the order found;
    or why it cannot be built offline from the repository."""
    found = [folder]
    problems: list[Problem] = []
    for current in found:  # grows while it is walked
        file = kustomization_of(root, current)
        if file is None:
            continue
        for named, problem in _references(root, file):
            if problem is not None:
                problems.append(problem)
            elif named not in found and _may_be_folder(root, named, found):
                found.append(named)
    return problems or found


def _may_be_folder(root: str, named: str, found: list[str]) -> bool:
    """Whether a named resource is (or, not written yet, may be) a folder of its own:
    `mcgen diff` writes a revision's inputs as they are named."""
    full = os.path.join(root, named)
    if os.path.isdir(full):
        return True
    return not os.path.exists(full) and not any(named.startswith(f"{f}/") for f in found)


def _references(root: str, file: str) -> Iterable[tuple[str, Problem | None]]:
    text = _text(root, file)
    body = read_document(text, strict=False).value
    if not isinstance(body, dict):
        return  # unreadable: kustomize reports it, in its own words
    if body.get("helmCharts"):
        yield "", Problem(_line(file, text, "helmCharts"),
                          "helmCharts in a kustomization is refused: kustomize would "
                          "download the chart; vendor it and use a `chart:` component")
    folder = posixpath.dirname(file)
    for field in REFERENCES:
        entries = body.get(field)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str):
                yield _reference(root, file, text, folder, entry)


def _reference(root: str, file: str, text: str, folder: str, entry: str
               ) -> tuple[str, Problem | None]:
    where = _line(file, text, entry)
    named = posixpath.normpath(posixpath.join(folder, entry))
    local = os.path.exists(os.path.join(root, named))
    if _REMOTE.search(entry) or (_HOST.match(entry) and not local):
        return "", Problem(where, f"remote base {entry!r} is refused: mcgen renders offline "
                                  "from the repository; vendor it into the repository and "
                                  "name the local folder instead")
    full = os.path.realpath(os.path.join(root, named))
    if named.startswith("../") or named == ".." or entry.startswith("/") or not (
            full == os.path.realpath(root) or full.startswith(os.path.realpath(root) + os.sep)):
        return "", Problem(where, f"{entry!r} lies outside the repository; mcgen builds "
                                  "only from the repository's own files")
    return named, None


def _text(root: str, file: str) -> str:
    with open(os.path.join(root, file), encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _line(file: str, text: str, needle: str) -> Location:
    """The first line of `text` naming `needle` (line 1 if none does)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return Location(file, number, max(line.find(needle), 0) + 1)
    return Location(file, 1, 1)


def folder_digest(root: str, folder: str) -> str:
    """A digest of every regular file under `folder` (names and bytes)."""
    digest = hashlib.sha256()
    top = os.path.join(root, folder)
    real_root = os.path.realpath(root) + os.sep
    for current, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(current, name)
            digest.update(f"{os.path.relpath(path, top)}\0".encode())
            if os.path.isfile(path) and os.path.realpath(path).startswith(real_root):
                with open(path, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()
