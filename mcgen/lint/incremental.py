"""Incremental lint: after a change, lint only what the change can affect.

A lint of a whole fleet leaves a memo (`mcgen.output.caches.LintMemoFile`) with, for each
cluster, the key of what it renders (`mcgen.render.pairs.cluster_key`), a digest of the
stat of every file and folder under its output folder, its findings, and the facts that
fleet-wide rules take from it (the versions it runs, for `rollout-order`; its encrypted
documents, for `secret-recipients`). The next lint reuses a cluster's findings, without
rendering it, only when all of this holds:

- the *context* is the same: mcgen's code, the rules and options asked for, today's
  date, the fleet spec with every path and position but the clusters' own `values`,
  the values files, policies and CRDs (content), and the stat of every output file
  outside the cluster folders;
- the cluster's key and its folder's stat digest are the recorded ones, and so are
  those of every cluster it shares a replication group with (a group is linted whole);
- every cluster linted again shows the same fleet-wide facts as recorded.

Otherwise the fleet is linted whole, so the report is always the one a full lint gives
(`tests/lint/test_incremental.py` checks that on random changes). Findings outside the
cluster folders (on the fleet spec) are made afresh from the spec, but those of the rules
in `COUNTED` come from the memo: they count what all clusters hold, and with the
context and the facts unchanged they are the ones a full lint makes.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple, cast

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.lint.encrypted import encrypted_objects
from mcgen.lint.rules.rollout_order import Seen, seen
from mcgen.lint.subject import Subject
from mcgen.location import Location
from mcgen.output.engines.registry import engine_of
from mcgen.output.subtrees import Subtrees, TreeJudge
from mcgen.parallel import map_slices
from mcgen.render.memo import code_fingerprint
from mcgen.shard import units
from mcgen.yaml.source import PathKey, SourceDocument

MEMO_VERSION = 2
# Rules whose findings outside the cluster folders depend on every cluster's objects
# (fleet-level files compared; encrypted documents counted): those come from the memo.
# A new rule making fleet-level findings from objects must be listed here.
COUNTED = frozenset({"output-drift", "secret-recipients"})
CLUSTERS_PER_WORKER = 200
# rollout-order's Seen: its order (kind, path, line, place), component, what, version
Item = tuple[int, str, int, int, str, str, str]


@dataclass(frozen=True)
class ClusterMemo:
    key: str
    disk: str
    facts: str
    items: tuple[Item, ...]
    findings: tuple[Finding, ...]
    objects: int  # how many it has, for the report's count


@dataclass(frozen=True)
class LintMemo:
    context: str
    outside: tuple[Finding, ...]
    clusters: Mapping[str, ClusterMemo] = field(default_factory=dict)


def context_key(fleet: Fleet, options: str, crds: Iterable[str] = ()) -> str:
    """A digest of all a cluster's findings depend on besides the cluster itself:
    `options` names the request, `crds` are more CRD files or folders it names."""
    digest = hashlib.sha256(f"v{MEMO_VERSION}\0{code_fingerprint()}\0{options}".encode())
    for package in ("kubernetes-validate", "jsonschema-rs", "cel"):
        digest.update(f"{package}={_version(package)}\0".encode())
    source = fleet.source
    digest.update(repr(_without_cluster_values(source.value)).encode())
    digest.update(f"{source.path}\0{_split(source).outside}\0".encode())
    for path in _content_inputs(fleet, crds):
        digest.update(path.encode() + b"\0" + _content(path))
    for path, info in _stats(fleet.root, _outside_paths(fleet)):
        digest.update(f"{path}\0{info}\0".encode())
    return digest.hexdigest()


def _version(package: str) -> str:
    """The installed version of the distribution `package`, off the name of its
    `<name>-<version>.dist-info` folder on sys.path, first found first, as
    importlib.metadata finds it (importing that costs a lint some 40 ms); "" if none."""
    wanted = package.replace("-", "_").replace(".", "_").lower() + "-"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in sorted(names):
            if name.endswith(".dist-info") and name.lower().startswith(wanted):
                return name[len(wanted):-len(".dist-info")]
    return ""


def _owner(at: PathKey) -> int | None:
    """The index of the cluster entry whose fields `at` is under (not its start)."""
    if len(at) < 4 or at[1] != "clusters" or at[0] != "spec":
        return None
    index = at[2]
    return index if isinstance(index, int) else None


class _Split(NamedTuple):
    """A spec's positions in document order, as text: those outside every cluster entry,
    and those inside each (by the entry's index)."""

    outside: str
    own: dict[int, str]


_LAST_SPLIT: list[tuple[SourceDocument, _Split]] = []  # the last spec split, by identity


def _split(source: SourceDocument) -> _Split:
    """`source`'s positions split by owner: made once per spec a lint loads (the context
    and each of the two `memo_keys` ask)."""
    if _LAST_SPLIT and _LAST_SPLIT[0][0] is source:
        return _LAST_SPLIT[0][1]
    outside: list[tuple[PathKey, int, int]] = []
    own: dict[int, list[tuple[PathKey, int, int]]] = {}
    for at, where in source.positions.items():
        index = _owner(at)
        (outside if index is None else own.setdefault(index, [])).append(
            (at, where.line, where.col))
    split = _Split(repr(outside), {index: repr(found) for index, found in own.items()})
    _LAST_SPLIT[:] = [(source, split)]
    return split


def memo_keys(fleet: Fleet, render_keys: Mapping[str, str]) -> dict[str, str]:
    """Each cluster's key for the memo: what it renders from, and where its own fields
    stand in the spec (its findings point there)."""
    own = _split(fleet.source).own
    return {name: hashlib.sha256(f"{render_keys[name]}\0{fleet.spec_path}\0"
                                 f"{own.get(cluster.index, '')}".encode()).hexdigest()
            for name, cluster in fleet.clusters.items() if name in render_keys}


def _without_cluster_values(value: object) -> object:
    spec = value.get("spec") if isinstance(value, dict) else None
    clusters = spec.get("clusters") if isinstance(spec, dict) else None
    if not isinstance(clusters, list):
        return value
    bare = [{k: v for k, v in c.items() if k != "values"} if isinstance(c, dict) else c
            for c in clusters]
    assert isinstance(value, dict) and isinstance(spec, dict)
    return {**value, "spec": {**spec, "clusters": bare}}


def _content_inputs(fleet: Fleet, crds: Iterable[str]) -> list[str]:
    """The files lint reads beyond what renders: values files, policies, CRDs."""
    values = [p for p in fleet.inputs if not p.startswith(fleet.spec_path)]  # not the spec
    named = [os.path.join(fleet.root, p) for p in (*values, *fleet.crds, *crds)]
    named.append(os.path.join(fleet.root, "policies"))
    found: list[str] = []
    for path in named:
        if os.path.isdir(path):
            found.extend(os.path.join(top, name) for top, dirs, files in sorted(os.walk(path))
                         for name in sorted(files))
        else:
            found.append(path)
    return found


def _content(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError:
        return b"-"


def _outside_paths(fleet: Fleet) -> list[str]:
    """Every path under the output folder but outside the cluster folders, and under
    the folders the engine writes beside it (`argocd/<fleet>/`)."""
    top = os.path.join(fleet.root, fleet.output.dir)
    found = [top]
    for folder in engine_of(fleet).fleet_folders(fleet):
        found.extend(_tree(os.path.join(fleet.root, folder)))
    for name in sorted(_listing(top)):
        path = os.path.join(top, name)
        if name in fleet.clusters and os.path.isdir(path) and not os.path.islink(path):
            found.append(path)  # its own stat only: the cluster's digest has the rest
        else:
            found.extend(_tree(path))
    return found


def _listing(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _tree(path: str) -> list[str]:
    """`path` and, for a real folder, everything under it, in a fixed order."""
    found = [path]
    if os.path.isdir(path) and not os.path.islink(path):
        for top, dirs, files in os.walk(path):
            dirs.sort()
            found.extend(os.path.join(top, name) for name in sorted([*dirs, *files]))
    return found


def _stats(root: str, paths: Iterable[str]) -> list[tuple[str, str]]:
    return [(os.path.relpath(path, root), _stat_text(path)) for path in paths]


def disk_digests(fleet: Fleet, judge: TreeJudge | None = None) -> dict[str, str]:
    """Each cluster's digest of the stat of everything under its output folder. With
    `judge` (the tree judged against the no-op record since the run began,
    `mcgen.output.subtrees`), a cluster whose folder is as the record has it is the
    digest of the record's lines of it: the same stats, taken while the fleet loaded."""
    clusters = list(fleet.clusters)
    recorded = _recorded(fleet, judge) if judge is not None else {}
    rest = [cluster for cluster in clusters if cluster not in recorded]
    found = dict(zip(rest, map_slices(partial(_digests, fleet), rest, CLUSTERS_PER_WORKER),
                     strict=True))
    return {cluster: recorded.get(cluster) or found[cluster] for cluster in clusters}


def _recorded(fleet: Fleet, judge: TreeJudge) -> dict[str, str]:
    """The clusters whose whole folder is as the no-op record has it, judged in second
    processes, each with a digest of the record's lines of it (none without them)."""
    unsettled = judge.unsettled()
    if unsettled is None:
        return {}
    top = posixpath.normpath(fleet.output.dir)
    folders = {posixpath.join(top, cluster): cluster for cluster in fleet.clusters}
    trees = Subtrees(judge, folders)
    return {cluster: "record:" + hashlib.sha256("\n".join(
        row.line for row in trees.rows(folder)).encode()).hexdigest()
        for folder, cluster in folders.items() if trees.clean(folder, unsettled)}


def _digests(fleet: Fleet, part: Sequence[str]) -> list[str]:
    return [_disk(fleet, cluster) for cluster in part]


def _disk(fleet: Fleet, cluster: str) -> str:
    """A digest of the stat of the cluster's folder and all under it, by relative path."""
    digest = hashlib.sha256()
    top = os.path.join(fleet.root, fleet.output.dir, cluster)
    pending = [("", top)]
    digest.update(_stat_text(top).encode())
    while pending:
        relative, folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}"
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                digest.update(f"{name}\0-\0".encode())
                continue
            digest.update(f"{name}\0{info.st_mode} {info.st_size} {info.st_mtime_ns} "
                          f"{info.st_ctime_ns} {info.st_ino}\0".encode())
            if entry.is_dir(follow_symlinks=False):
                pending.append((name, entry.path))
    return digest.hexdigest()


def _stat_text(path: str) -> str:
    try:
        info = os.lstat(path)
    except OSError:
        return "-"
    return f"{info.st_mode} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"


def cluster_of(fleet: Fleet, path: str) -> str | None:
    """The cluster whose output folder holds `path`, if any."""
    prefix = fleet.output.dir.rstrip("/") + "/"
    cluster, slash, _ = path.removeprefix(prefix).partition("/")
    return cluster if path.startswith(prefix) and slash and cluster in fleet.clusters else None


def fleet_facts(subject: Subject) -> tuple[dict[str, list[Item]], dict[str, str]]:
    """Per cluster of the subject: the versions it runs (for `rollout-order`), and a
    digest of its fleet-wide facts (those versions, and the recipient kinds of its
    encrypted documents, which `secret-recipients` counts over the fleet)."""
    items: dict[str, list[Item]] = {}
    for item in seen(subject):
        items.setdefault(item.cluster, []).append(
            (*item.order, item.component, item.what, item.version))
    sops: dict[str, list[str]] = {}
    for obj, meta in encrypted_objects(subject):
        sops.setdefault(obj.cluster or "", []).append(
            ",".join(sorted({r.kind for r in meta.recipients})))
    facts = {cluster: hashlib.sha256(repr(([i[4:] for i in items.get(cluster, [])],
                                            sops.get(cluster, []))).encode()).hexdigest()
             for cluster in subject.by_cluster if cluster}
    return items, facts


def remembered_versions(memo: LintMemo, clusters: Iterable[str]) -> list[Seen]:
    """The versions the memo holds of `clusters`, for `rollout-order`."""
    return [Seen(item[:4], cluster, *item[4:]) for cluster in sorted(clusters)
            for item in memo.clusters[cluster].items]


def kept_units(fleet: Fleet, memo: LintMemo, keys: Mapping[str, str],
               disks: Mapping[str, str]) -> frozenset[str]:
    """The clusters whose findings may be reused: whole units, each member unchanged."""
    def same(cluster: str) -> bool:
        entry = memo.clusters.get(cluster)
        return (entry is not None and entry.key == keys.get(cluster)
                and entry.disk == disks.get(cluster))

    return frozenset(c for unit in units(fleet) if all(map(same, unit)) for c in unit)


def finding_to_json(finding: Finding) -> list[object]:
    where = finding.location
    return [finding.rule, str(finding.severity), finding.message,
            [where.path, where.line, where.col],
            [[label, [loc.path, loc.line, loc.col]] for label, loc in finding.related],
            finding.target]


def finding_from_json(entry: list[object]) -> Finding:
    rule, severity, message, where, related, target = entry
    assert isinstance(where, list) and isinstance(related, list)
    return Finding(str(rule), Severity(str(severity)), str(message), _location(where),
                   tuple((str(label), _location(loc)) for label, loc in related),
                   str(target))


def _location(entry: object) -> Location:
    assert isinstance(entry, list)
    path, line, col = entry
    return Location(str(path), int(line), int(col))


def memo_to_json(memo: LintMemo) -> str:
    clusters = {name: {"key": entry.key, "disk": entry.disk, "facts": entry.facts,
                       "items": [list(item) for item in entry.items],
                       "findings": [finding_to_json(f) for f in entry.findings],
                       "objects": entry.objects}
                for name, entry in memo.clusters.items()}
    return json.dumps({"version": MEMO_VERSION, "context": memo.context,
                       "outside": [finding_to_json(f) for f in memo.outside],
                       "clusters": clusters}, separators=(",", ":"))


def memo_from_json(text: str, context: str | None = None) -> LintMemo | None:
    """The memo in `text`, or None when it is of another version, malformed, or (with
    `context`) made in another context."""
    try:
        body = json.loads(text)
        if body.get("version") != MEMO_VERSION or context not in (None, body["context"]):
            return None
        clusters = {str(name): ClusterMemo(
            str(entry["key"]), str(entry["disk"]), str(entry["facts"]),
            _items(entry["items"]),
            tuple(finding_from_json(f) for f in entry["findings"]), int(entry["objects"]))
            for name, entry in body["clusters"].items()}
        outside = tuple(finding_from_json(f) for f in body["outside"])
        return LintMemo(str(body["context"]), outside, clusters)
    except (ValueError, KeyError, TypeError, AttributeError, AssertionError):
        return None


ITEM_TYPES = (int, str, int, int, str, str, str)


def _items(entries: list[list[object]]) -> tuple[Item, ...]:
    """A cluster's items as `memo_to_json` wrote them (JSON keeps each field's type)."""
    items = tuple(map(tuple, entries))
    if any(tuple(map(type, item)) != ITEM_TYPES for item in items):
        raise ValueError("not a memo's item")
    return cast(tuple[Item, ...], items)
