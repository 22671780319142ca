"""`spec.charts` (what to vendor) and `charts.lock` (what was vendored), and the check
every render makes: a vendored chart is exactly what the lock says, or it is an input
error. Nothing downloads at render time.

`charts.lock`, at the repository root, written by `mcgen vendor`:

    apiVersion: mcgen.dev/v1alpha1
    kind: ChartLock
    charts:
      - name: ingress-nginx
        repo: https://kubernetes.github.io/ingress-nginx
        version: 4.15.1
        digest: sha256:...   # of the archive, as the repository's index.yaml has it
        files: sha256:...    # of the unpacked folder charts/ingress-nginx/ (mcgen's digest)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from mcgen.fleet.model import Fleet
from mcgen.helm.files import ChartFilesError, read_chart
from mcgen.location import Location, Problem
from mcgen.yaml.emit import to_yaml
from mcgen.yaml.manifests import read_document

LOCK_FILE = "charts.lock"
VENDOR_DIR = "charts"
_HEADER = ("# Written by `mcgen vendor` from the fleets' spec.charts: do not edit. Render\n"
           "# checks every vendored chart against it and never downloads.\n")


class ChartPin(NamedTuple):
    name: str
    repo: str  # https://... (an HTTP chart repository) or oci://host/path
    version: str
    where: Location  # the entry in the fleet spec

    @property
    def folder(self) -> str:
        """Where it is vendored, repo-relative."""
        return f"{VENDOR_DIR}/{self.name}"


class Locked(NamedTuple):
    name: str
    repo: str
    version: str
    digest: str
    files: str


def pins(fleet: Fleet) -> list[ChartPin]:
    """The fleet's `spec.charts`, as its schema admits them."""
    value = fleet.source.value
    spec = value.get("spec") if isinstance(value, dict) else None
    charts = spec.get("charts") if isinstance(spec, dict) else None
    return [ChartPin(str(c["name"]), str(c["repo"]).rstrip("/"), str(c["version"]),
                     fleet.where("spec", "charts", index))
            for index, c in enumerate(charts if isinstance(charts, list) else [])
            if isinstance(c, dict)]


def read_lock(root: str) -> tuple[dict[str, Locked], list[Problem]]:
    """The lock's entries by chart name (none if there is no lock), and its problems."""
    path = os.path.join(root, LOCK_FILE)
    if not os.path.isfile(path):
        return {}, []
    try:
        with open(path, encoding="utf-8") as handle:
            read = read_document(handle.read(), strict=True)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(Location(LOCK_FILE, 1, 1), f"cannot read the chart lock: {exc}")]
    if read.error:
        return {}, [Problem(Location(LOCK_FILE, 1, 1), f"cannot read the chart lock: "
                            f"{read.error}")]
    loaded = read.value
    entries = loaded.get("charts") if isinstance(loaded, dict) else None
    found: dict[str, Locked] = {}
    for entry in entries if isinstance(entries, list) else []:
        fields = [str(entry.get(k, "")) for k in Locked._fields] if isinstance(entry, dict) \
            else []
        if len(fields) == len(Locked._fields) and all(fields):
            found[fields[0]] = Locked(*fields)
        else:
            return {}, [Problem(Location(LOCK_FILE, 1, 1), "the chart lock has an entry "
                                "without name, repo, version, digest and files: run "
                                "`mcgen vendor` to write it again")]
    return found, []


def write_lock(root: str, entries: Iterable[Locked]) -> None:
    """Write `charts.lock` atomically, entries by name."""
    data = {"apiVersion": "mcgen.dev/v1alpha1", "kind": "ChartLock",
            "charts": [e._asdict() for e in sorted(entries)]}
    text = _HEADER + to_yaml(data) + "\n"
    path = os.path.join(root, LOCK_FILE)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return  # as it was: vendoring again changes nothing, not even a time
    temporary = path + ".mcgen-tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def lock_problems(fleet: Fleet, used: Iterable[str] = ()) -> Iterator[Problem]:
    """Why the fleet's vendored charts cannot be trusted: a pin missing from the lock or
    locked at another version, or a vendored folder whose files are not those locked.
    `used` are the repo-relative chart paths the fleet's components render."""
    locked, problems = read_lock(fleet.root)
    yield from problems
    for pin in pins(fleet):
        entry = locked.get(pin.name)
        if entry is None or (entry.repo, entry.version) != (pin.repo, pin.version):
            yield Problem(pin.where, f"chart {pin.name} {pin.version} from {pin.repo} is not "
                          f"what {LOCK_FILE} holds: run `mcgen vendor` (render never "
                          "downloads)")
    for entry in locked.values():
        folder = f"{VENDOR_DIR}/{entry.name}"
        if folder in used or any(p.name == entry.name for p in pins(fleet)):
            yield from _verify(fleet.root, entry)


def _verify(root: str, entry: Locked) -> Iterator[Problem]:
    folder = os.path.join(root, VENDOR_DIR, entry.name)
    where = Location(LOCK_FILE, 1, 1)
    try:
        digest = read_chart(folder, root).digest
    except ChartFilesError as exc:
        yield Problem(where, f"{VENDOR_DIR}/{entry.name}: the vendored chart is missing or "
                      f"unreadable ({exc}): run `mcgen vendor`")
        return
    if digest != entry.files:
        yield Problem(Location(f"{VENDOR_DIR}/{entry.name}"),
                      f"the vendored chart {entry.name} {entry.version} does not match "
                      f"{LOCK_FILE} (its files changed since `mcgen vendor`: {digest} is "
                      f"not {entry.files}); run `mcgen vendor` to restore it, or edit the "
                      "chart as your own outside spec.charts")
