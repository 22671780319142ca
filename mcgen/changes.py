"""The rendered difference between two revisions, object by object.

Both sides are rendered in memory from their committed inputs and compared as data, so
formatting and key order never show; what shows is which objects each cluster gains,
loses or changes, and at which JSON paths.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from mcgen import gitrepo
from mcgen.access.changes import AccessChange, access_changes
from mcgen.errors import InputError, UsageError
from mcgen.fleet.model import Fleet
from mcgen.lint.objectdiff import differences, format_path, shown
from mcgen.objects import ObjectRef
from mcgen.pipeline import discover_specs, load_fleets
from mcgen.render.engine import render_fleet
from mcgen.render.stamp import MCGEN_LABELS
from mcgen.secrets.redact import change_paths
from mcgen.sources.registry import fleet_inputs

Key = tuple[str, str, ObjectRef]  # fleet, cluster, object


@dataclass(frozen=True)
class ObjectChange:
    fleet: str
    cluster: str
    ref: ObjectRef
    kind: str  # "added" | "removed" | "changed"
    paths: tuple[str, ...] = ()
    # Each changed path with its old and new value (`spec.replicas: 2 → 4`), secret
    # values masked: what a person reads; `paths` is what a tool matches.
    shown: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterFacts:
    name: str
    wave: int
    zone: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class RecentChange:
    """A commit of the base branch inside the soak window, and what it changed."""

    revision: gitrepo.Revision
    time: datetime.datetime
    changes: tuple[ObjectChange, ...]


@dataclass(frozen=True)
class ChangeSet:
    base: gitrepo.Revision
    head: gitrepo.Revision
    changes: tuple[ObjectChange, ...]
    clusters: Mapping[str, ClusterFacts] = field(default_factory=dict)
    # What the change grants and revokes, per subject and cluster (mcgen.access.changes).
    access: tuple[AccessChange, ...] = ()
    # The base's own recent commits, newest first (rollout-soak; mcgen/rollout/history.py).
    recent: tuple[RecentChange, ...] = ()
    # Why the base rendered nothing (no fleet there, or one that does not load): every
    # object is then new, and blast radius is not judged. "" when the base rendered.
    base_note: str = ""

    def touched(self) -> list[str]:
        """Clusters with any change, in fleet order."""
        changed = {c.cluster for c in self.changes}
        return [name for name in self.clusters if name in changed]

    def by_cluster(self) -> dict[str, list[ObjectChange]]:
        grouped: dict[str, list[ObjectChange]] = {}
        for change in self.changes:
            grouped.setdefault(change.cluster, []).append(change)
        return grouped


def render_objects(fleets: list[Fleet]) -> dict[Key, dict[str, object]]:
    objects: dict[Key, dict[str, object]] = {}
    for fleet in fleets:
        for obj in render_fleet(fleet).objects:
            objects[(fleet.name, obj.cluster, obj.ref)] = _comparable(obj.body)
    return objects


def _comparable(body: dict[str, object]) -> dict[str, object]:
    """The object without mcgen's own labels, which change with a wave renumbering."""
    meta = body.get("metadata")
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if not isinstance(labels, dict):
        return body
    kept = {k: v for k, v in labels.items() if k not in MCGEN_LABELS}
    return {**body, "metadata": {**meta, "labels": kept}}  # type: ignore[dict-item]


def rendered_at(repo_path: str, sha: str, within: str = "."
                ) -> tuple[list[Fleet], dict[Key, dict[str, object]]]:
    """The fleets of the fleet repository at `within` (relative to the git work tree's
    top) as committed at `sha`, and their objects."""
    with tempfile.TemporaryDirectory(prefix="mcgen-rev-") as folder:
        fleets = committed_fleets(repo_path, sha, folder, within)
        return fleets, render_objects(fleets)


def committed_fleets(repo_path: str, sha: str, folder: str, within: str = "."
                     ) -> list[Fleet]:
    """The fleets committed at `sha` (the fleet repository at `within`), written under
    `folder` with every file their sources read: what a source reads can depend on what
    it has read (a kustomize overlay names its bases), so inputs are taken until no new
    one is named."""
    repo = gitrepo.open_repo(repo_path)
    root = os.path.normpath(os.path.join(folder, within))

    def inside(names: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(os.path.normpath(os.path.join(within, name)).replace(os.sep, "/")
                            for name in names))

    gitrepo.materialise(repo, sha, folder, inside(gitrepo.INPUT_FOLDERS))
    os.makedirs(os.path.join(root, "fleets"), exist_ok=True)
    taken = set(gitrepo.INPUT_FOLDERS)
    while True:
        fleets = load_fleets(discover_specs((), root))
        wanted = {path for fleet in fleets for path in fleet_inputs(fleet)
                  if not _within(path, taken)}
        if not wanted:
            return fleets
        gitrepo.materialise(repo, sha, folder, inside(wanted))
        taken |= wanted


def _within(path: str, taken: set[str]) -> bool:
    parts = path.split("/")
    return any("/".join(parts[:end]) in taken for end in range(1, len(parts) + 1))


def compare(old: Mapping[Key, dict[str, object]], new: Mapping[Key, dict[str, object]]
            ) -> Iterator[ObjectChange]:
    for key in sorted(set(old) | set(new), key=lambda k: (k[0], k[1], tuple(k[2]))):
        fleet, cluster, ref = key
        if key not in old:
            yield ObjectChange(fleet, cluster, ref, "added")
        elif key not in new:
            yield ObjectChange(fleet, cluster, ref, "removed")
        elif old[key] != new[key]:
            diffs = list(differences(old[key], new[key]))
            found = [(d.at, format_path(d.at)) for d in diffs]
            values = {d.at: (shown(d.left), shown(d.right)) for d in diffs}
            yield ObjectChange(fleet, cluster, ref, "changed",
                               change_paths(old[key], new[key], found),
                               change_paths(old[key], new[key], found, values))


def change_set(repo_path: str, base: str, head: str, within: str = ".") -> ChangeSet:
    """Render `base` and `head` from git objects and compare them (the fleet repository
    at `within`, relative to the top of the git work tree `repo_path`)."""
    repo = gitrepo.open_repo(repo_path)
    base_rev, head_rev = gitrepo.resolve(repo, base), gitrepo.resolve(repo, head)
    old_fleets, old, note = _base_side(repo_path, base_rev, within)
    fleets, new = rendered_at(repo_path, head_rev.sha, within)
    facts = {
        cluster.name: ClusterFacts(cluster.name, cluster.wave, cluster.zone,
                                   tuple(g.name for g in fleet.groups_of(cluster.name)))
        for fleet in fleets for cluster in fleet.clusters.values()
    }
    return ChangeSet(base_rev, head_rev, tuple(compare(old, new)), facts,
                     access_changes((old_fleets, old), (fleets, new)), base_note=note)


MAX_BASE_PROBLEMS = 5


def _base_side(repo_path: str, base: gitrepo.Revision, within: str
               ) -> tuple[list[Fleet], dict[Key, dict[str, object]], str]:
    """The base's fleets and objects; none, with the reason, when the base has no fleet
    (a pull request introducing mcgen) or one that does not load or render (a pull
    request fixing main must be able to pass). The base's problems are named as the
    base's, never at the head's lines."""
    short = base.sha[:7]
    try:
        fleets, objects = rendered_at(repo_path, base.sha, within)
    except UsageError:
        return [], {}, f"the base {short} has no fleet: every object is new"
    except InputError as exc:
        shown = [f"{short}:{p}" for p in exc.problems[:MAX_BASE_PROBLEMS]]  # git's rev:path
        more = len(exc.problems) - len(shown)
        shown += [f"and {more} more"] if more > 0 else []
        return [], {}, (f"the base {short} does not render, so every object counts as new "
                        f"and blast radius is not judged; the base's problems: "
                        + "; ".join(shown))
    return fleets, objects, ""
