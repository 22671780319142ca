"""`mcgen vendor`: the charts of `spec.charts` into `charts/<name>/`, pinned in `charts.lock`.

Idempotent: a chart whose lock entry matches its pin and whose folder still has the
locked files is neither downloaded nor touched. Everything is fetched and checked first
(the archive's sha256 against the repository index's digest, the chart's name and
version against the pin) in a scratch folder; only when every chart is good are the
folders moved into place and the lock written, so a failure leaves the repository as
it was. A folder under `charts/` that the lock does not list (a chart of your own) is
never overwritten, and a chart no longer pinned is removed with its lock entry.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from typing import NamedTuple

from mcgen.errors import InputError, UsageError
from mcgen.fleet.model import Fleet
from mcgen.helm import native
from mcgen.helm.files import ChartFilesError, read_chart
from mcgen.helm.lock import VENDOR_DIR, ChartPin, Locked, read_lock, write_lock
from mcgen.location import Problem
from mcgen.yaml.manifests import read_document


class VendorResult(NamedTuple):
    pulled: tuple[str, ...]  # "name version", downloaded now
    kept: tuple[str, ...]  # already as locked
    removed: tuple[str, ...]  # no longer pinned


class _Fetched(NamedTuple):
    pin: ChartPin
    folder: str  # unpacked in the scratch folder
    digest: str


def vendor(fleets: Iterable[Fleet], root: str) -> VendorResult:
    """Vendor every fleet's pins into `root`; raises InputError with every problem."""
    wanted, problems = _merged(fleets)
    locked, lock_problems = read_lock(root)
    problems.extend(lock_problems)
    if problems:
        raise InputError(problems)
    kept = [pin for pin in wanted.values() if _intact(root, pin, locked.get(pin.name))]
    todo = [pin for pin in wanted.values() if pin not in kept]
    problems = [p for pin in todo for p in _foreign(root, pin, locked)]
    if todo and not native.sdk_available():
        problems.append(Problem(todo[0].where, native.missing_message()))
    if problems:
        raise InputError(problems)
    entries = {pin.name: locked[pin.name] for pin in kept}
    if todo:
        entries.update(_fetch_all(root, todo))
    removed = [_remove(root, entry) for name, entry in sorted(locked.items())
               if name not in wanted]
    write_lock(root, entries.values())
    return VendorResult(tuple(f"{p.name} {p.version}" for p in todo),
                        tuple(f"{p.name} {p.version}" for p in kept), tuple(removed))


def _fetch_all(root: str, todo: list[ChartPin]) -> dict[str, Locked]:
    """Fetch every chart into a scratch folder; only when all are good, move them in."""
    charts = os.path.join(root, VENDOR_DIR)
    created = not os.path.isdir(charts)
    os.makedirs(charts, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".mcgen-vendor-", dir=charts) as scratch:
        fetched = [_fetch(pin, os.path.join(scratch, str(i))) for i, pin in enumerate(todo)]
        failures = [f for f in fetched if isinstance(f, Problem)]
        if not failures:
            return {done.pin.name: _install(root, done) for done in fetched
                    if isinstance(done, _Fetched)}
    if created:
        os.rmdir(charts)  # as it was: nothing written
    raise InputError(failures)


def _merged(fleets: Iterable[Fleet]) -> tuple[dict[str, ChartPin], list[Problem]]:
    """One pin per chart name across the repository's fleets."""
    from mcgen.helm.lock import pins

    wanted: dict[str, ChartPin] = {}
    problems: list[Problem] = []
    for fleet in fleets:
        for pin in pins(fleet):
            seen = wanted.setdefault(pin.name, pin)
            if (seen.repo, seen.version) != (pin.repo, pin.version):
                problems.append(Problem(pin.where, f"chart {pin.name} is pinned twice, as "
                                        f"{seen.version} from {seen.repo} at {seen.where} "
                                        f"and as {pin.version} from {pin.repo}"))
    return wanted, problems


def _intact(root: str, pin: ChartPin, entry: Locked | None) -> bool:
    if entry is None or (entry.repo, entry.version) != (pin.repo, pin.version):
        return False
    try:
        return read_chart(os.path.join(root, pin.folder), root).digest == entry.files
    except ChartFilesError:
        return False


def _foreign(root: str, pin: ChartPin, locked: dict[str, Locked]) -> list[Problem]:
    if pin.name in locked or not os.path.lexists(os.path.join(root, pin.folder)):
        return []
    return [Problem(pin.where, f"{pin.folder} exists and `mcgen vendor` did not write it "
                    "(it is not in charts.lock): move it away, or pin another name")]


def _fetch(pin: ChartPin, scratch: str) -> _Fetched | Problem:
    """Download, check and unpack one pinned chart into `scratch`."""
    os.makedirs(scratch)
    oci = pin.repo.startswith("oci://")
    try:
        expected = "" if oci else _index_digest(pin)
        if isinstance(expected, Problem):
            return expected
        archive = native.pull(f"{pin.repo}/{pin.name}" if oci else pin.name, pin.version,
                              None if oci else pin.repo, scratch)
    except native.HelmFailure as exc:
        return Problem(pin.where, f"cannot fetch chart {pin.name} {pin.version} from "
                       f"{pin.repo}: {' '.join(exc.message.split())}")
    with open(archive, "rb") as handle:
        digest = "sha256:" + hashlib.sha256(handle.read()).hexdigest()
    if expected and digest != expected:
        return Problem(pin.where, f"chart {pin.name} {pin.version} from {pin.repo} does not "
                       f"match the repository's index (downloaded {digest}, the index says "
                       f"{expected}): refusing it")
    return _unpacked(pin, archive, os.path.join(scratch, "unpacked"), digest)


def _index_digest(pin: ChartPin) -> str | Problem:
    versions = native.repository_versions(pin.repo, pin.name)
    if pin.version in versions:
        digest = versions[pin.version]
        return f"sha256:{digest.removeprefix('sha256:')}" if digest else ""
    known = ", ".join(sorted(versions)[-10:]) or "none"
    return Problem(pin.where, f"chart {pin.name} has no version {pin.version} in {pin.repo} "
                   f"(it has: {known})")


def _unpacked(pin: ChartPin, archive: str, into: str, digest: str) -> _Fetched | Problem:
    try:
        with tarfile.open(archive, "r:gz") as opened:
            opened.extractall(into, filter="data")
        (top,) = os.listdir(into)
        with open(os.path.join(into, top, "Chart.yaml"), encoding="utf-8") as handle:
            meta = read_document(handle.read(), strict=False).value
    except (tarfile.TarError, OSError, ValueError) as exc:
        return Problem(pin.where, f"chart {pin.name} {pin.version}: not a chart archive "
                       f"({exc})")
    got = (str(meta.get("name")), str(meta.get("version"))) if isinstance(meta, dict) else ()
    if got != (pin.name, pin.version):
        return Problem(pin.where, f"the archive fetched for {pin.name} {pin.version} holds "
                       f"chart {' '.join(got) or 'nothing'}: refusing it")
    return _Fetched(pin, os.path.join(into, top), digest)


def _install(root: str, done: _Fetched) -> Locked:
    """Move the unpacked chart into place; its lock entry."""
    target = os.path.join(root, done.pin.folder)
    if os.path.lexists(target):
        shutil.rmtree(target)
    os.replace(done.folder, target)
    files = read_chart(target, root).digest
    return Locked(done.pin.name, done.pin.repo, done.pin.version, done.digest, files)


def _remove(root: str, entry: Locked) -> str:
    target = os.path.join(root, VENDOR_DIR, entry.name)
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    return f"{entry.name} {entry.version}"


class VendorRequest(NamedTuple):
    specs: tuple[str, ...] = ()
    cwd: str = "."


def vendor_fleets(request: VendorRequest) -> VendorResult:
    """`mcgen vendor`: the named fleets (or every `fleets/*.yaml`), one repository."""
    from mcgen.pipeline import discover_specs, load_fleets

    fleets = load_fleets(discover_specs(request.specs, request.cwd))
    roots = sorted({fleet.root for fleet in fleets})
    if len(roots) != 1:
        raise UsageError(f"the fleets belong to {len(roots)} repositories ({', '.join(roots)}):"
                         " vendor one repository at a time")
    return vendor(fleets, roots[0])
