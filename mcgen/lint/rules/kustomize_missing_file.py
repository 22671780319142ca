"""kustomize-missing-file: a generated kustomization lists a file that does not exist.

Every `kustomization.yaml` mcgen writes lists what its folder holds; an entry naming a
file the tree does not have makes `kubectl kustomize` and Flux fail on that cluster's
whole folder. mcgen writes what it lists, so the entries at risk are those it lists and
never writes: with engine flux and `includeBootstrap`, `flux-system/gotk-components.yaml`
and `gotk-sync.yaml`, which `flux bootstrap` writes. Clusters are bootstrapped one by one:
set `includeBootstrap: false` on a cluster (its entry in `spec.clusters`) until `flux
bootstrap --path <dir>/<cluster>` has run there, then `true`.

The finding sits on the entry's line in the kustomization, names the cluster and points
at its entry in the fleet spec.

Example finding:

    clusters/us-east/flux-system/kustomization.yaml:8:3: error: lists
    gotk-components.yaml, which clusters/us-east/flux-system/ lacks: `flux bootstrap`
    writes it, and until it has, kubectl kustomize and Flux fail on cluster 'us-east';
    bootstrap it first (`flux bootstrap git --path clusters/us-east ...`), or set
    `includeBootstrap: false` on that cluster until then [kustomize-missing-file]
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.lint.subject import Subject
from mcgen.location import Location
from mcgen.output.engines.flux import BOOTSTRAP_FILES
from mcgen.output.layout import OutputFile

ID = "kustomize-missing-file"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]
KUSTOMIZATION = "kustomization.yaml"


def check(subject: Subject) -> Iterator[Finding]:
    fleet, tree = subject.fleet, subject.tree
    if fleet is None or tree is None:
        return
    folders = {path.rpartition("/")[0] for path in tree}
    for path, file in tree.items():
        folder, _, name = path.rpartition("/")
        if name != KUSTOMIZATION or not subject.in_shard(path):
            continue
        for entry in _resources(file):
            target = f"{folder}/{entry}" if _plain(entry) else posixpath.normpath(
                posixpath.join(folder, entry))
            if target in tree or target in folders or _on_disk(fleet.root, target):
                continue
            yield _finding(subject, fleet, file, entry, folder)


def _plain(entry: str) -> bool:
    """A file or folder name of the folder itself (what mcgen lists): no path to resolve."""
    return "/" not in entry and entry not in (".", "..") and bool(entry)


def _resources(file: OutputFile) -> list[str]:
    listed = file.body.get("resources")
    return [entry for entry in listed if isinstance(entry, str)] if isinstance(
        listed, list) else []


def _on_disk(root: str, target: str) -> bool:
    return os.path.isfile(os.path.join(root, target)) or os.path.isfile(
        os.path.join(root, target, KUSTOMIZATION))


def _finding(subject: Subject, fleet: Fleet, file: OutputFile, entry: str,
             folder: str) -> Finding:
    cluster = _cluster_of(fleet, folder)
    where = Location(file.path, _line_of(file.text, entry), 3)
    message = f"lists {entry}, which {folder}/ lacks"
    related: tuple[tuple[str, Location], ...] = ()
    if entry in BOOTSTRAP_FILES and cluster is not None:
        top = posixpath.join(fleet.output.dir.rstrip("/"), cluster)
        message += (f": `flux bootstrap` writes it, and until it has, kubectl kustomize and "
                    f"Flux fail on cluster {cluster!r}; bootstrap it first (`flux bootstrap "
                    f"git --path {top} ...`), or set `includeBootstrap: false` on that cluster "
                    "until then")
        related = (("cluster", fleet.where_cluster(cluster)),)
    else:
        message += "; kubectl kustomize and Flux fail on this folder: run `mcgen render`"
    target = f"{cluster}/{posixpath.basename(folder)}" if cluster else file.path
    return subject.fleet_finding(_RULE, message, where, target, related=related)


def _cluster_of(fleet: Fleet, folder: str) -> str | None:
    prefix = fleet.output.dir.rstrip("/") + "/"
    name = folder[len(prefix):].split("/", 1)[0] if folder.startswith(prefix) else ""
    return name if name in fleet.clusters else None


def _line_of(text: str, entry: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() in (f"- {entry}", f"- '{entry}'", f'- "{entry}"'):
            return number
    return 1
