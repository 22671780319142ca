"""The output tree (FLEET-SPEC §5): which file holds what; the engine (`engines/`) adds
what its controller reads."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from mcgen.errors import InputError
from mcgen.fleet.model import Fleet
from mcgen.location import Location, Problem
from mcgen.objects import file_stem
from mcgen.output.emit import generated_by, header
from mcgen.output.engines.base import OutputEngine
from mcgen.output.engines.registry import engine_of
from mcgen.render.engine import RenderedFleet, RenderedObject
from mcgen.render.memo import code_fingerprint
from mcgen.yaml.emit import TOP_ORDER, canonical_yaml

KUSTOMIZATION = "kustomization.yaml"


@dataclass(frozen=True)
class OutputFile:
    """A file mcgen generates: its repo-relative path, the object it holds, and its text.

    The text is written on first use: `mcgen lint` needs it only to point at a finding
    or to compare the tree on disk, so most files of a large fleet are never emitted.
    """

    path: str
    head: str = field(repr=False)
    body: dict[str, object] = field(repr=False)
    obj: RenderedObject | None = None
    # A verbatim file (`manifests:`): its text as the source has it, and the objects
    # after `obj` it holds.
    verbatim: str | None = field(default=None, repr=False)
    more: tuple[RenderedObject, ...] = field(default=(), repr=False)

    @property
    def body_offset(self) -> int:
        """Lines of header before the object's first line."""
        return self.head.count("\n")

    def objects(self) -> tuple[tuple[RenderedObject, int], ...]:
        """Each object the file holds, with the 1-based line where it starts."""
        if self.obj is None:
            return ()
        if self.verbatim is not None:
            return tuple((obj, obj.line) for obj in (self.obj, *self.more))
        return ((self.obj, self.body_offset + 1),)

    # Neither `key` nor `text` is kept: a plan asks each once per file, and a lint of
    # 10,000 clusters would hold a million texts it compared once (about 1 GiB).
    @property
    def key(self) -> str:
        """A digest of everything the text is made of, without making it: mcgen's code,
        the header, the keys `body` has of its own, and the document it shares the rest
        with (`Tail`). A verbatim file's key is its text's digest."""
        if self.verbatim is not None:
            return hashlib.sha256(f"verbatim\0{self.verbatim}".encode()).hexdigest()
        tail = self.obj.tail if self.obj is not None else None
        if tail is not None and tail.key:
            own = {key: self.body[key] for key in TOP_ORDER if key in self.body}
            made = repr((code_fingerprint(), self.head, own, tail.key))
        else:
            made = repr((code_fingerprint(), self.head, self.body, ""))
        return hashlib.sha256(made.encode()).hexdigest()

    @property
    def text(self) -> str:
        if self.verbatim is not None:
            return self.verbatim
        return self.head + canonical_yaml(self.body, self.obj.tail if self.obj else None)


class Owner(NamedTuple):
    """What made mcgen write a file, and where it stands in the fleet or a template
    (both found only when needed: most files never collide)."""

    describe: Callable[[], str]
    locate: Callable[[], Location]

    @property
    def what(self) -> str:
        return self.describe()

    @property
    def where(self) -> Location:
        return self.locate()


def _said(text: str) -> Callable[[], str]:
    return partial(str, text)


@dataclass
class TreeBuilder:
    fleet: Fleet
    files: dict[str, OutputFile] = field(default_factory=dict)
    # Component folders holding a SOPS document (their controller must decrypt).
    encrypted: set[str] = field(default_factory=set)
    # Who writes the files being added now; a path added twice is a collision.
    owner: Owner | None = None
    owners: dict[str, Owner] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, lines: list[str], body: dict[str, object],
            obj: RenderedObject | None = None, owner: Owner | None = None) -> None:
        owner = owner or self.owner or Owner(_said("mcgen"),
                                             lambda: self.fleet.where("spec", "output"))
        first = self.owners.get(path)
        if first is not None:
            self._collide(path, first, owner)
            return
        self.owners[path] = owner
        self.files[path] = OutputFile(path, header(lines), body, obj)

    def _collide(self, path: str, first: Owner, second: Owner) -> None:
        """Both owners are told: one of the two names has to change."""
        for here, there in ((second, first), (first, second)):
            self.problems.append(Problem(here.where, (
                f"{here.what} would write {path}, which {there.what} ({there.where}) writes "
                "too; rename one of them")))

    def verbatim(self, path: str, objects: list[RenderedObject]) -> None:
        """A file written as its source has it (the objects all come from its text)."""
        first = objects[0]
        owner = self.owner or Owner(_said("mcgen"), lambda: self.fleet.where("spec", "output"))
        if path in self.owners:
            self._collide(path, self.owners[path], owner)
            return
        self.owners[path] = owner
        self.files[path] = OutputFile(path, "", first.body, first, first.text,
                                      tuple(objects[1:]))

    def kustomization(self, folder: str, resources: list[str], sources: list[str]) -> None:
        body: dict[str, object] = {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": resources,
        }
        self.add(posixpath.join(folder, KUSTOMIZATION), generated_by(sources), body)


def build_tree(rendered: RenderedFleet, fleet_files: bool = True) -> dict[str, OutputFile]:
    """Every file of the fleet's output tree, keyed by repo-relative path, but those of
    the clusters `rendered` reused or left to other shards (and, without `fleet_files`,
    those beside the cluster folders, such as `argocd/<fleet>/`)."""
    fleet = rendered.fleet
    engine = engine_of(fleet)
    tree = TreeBuilder(fleet)
    root = fleet.output.dir.rstrip("/")
    by_pair: dict[tuple[str, str], list[RenderedObject]] = {}
    for obj in rendered.objects:
        by_pair.setdefault((obj.cluster, obj.component), []).append(obj)
    for cluster in fleet.clusters:
        if cluster in rendered.reused or cluster in rendered.outside:
            continue  # its files stay as the last render left them (see `generate`)
        components = [c.name for c in fleet.components_on(cluster)]
        for component in components:
            folder = posixpath.join(root, cluster, component)
            tree.owner = Owner(partial("component {!r} on cluster {!r}".format, component,
                                       cluster),
                               partial(fleet.where_component, component, "name"))
            _component_folder(tree, engine, folder, by_pair.get((cluster, component), []),
                              rendered)
        tree.owner = Owner(_said(f"the {engine.NAME} files of cluster {cluster!r}"),
                           partial(fleet.where_cluster, cluster))
        engine.cluster_files(tree, posixpath.join(root, cluster), cluster, components)
    tree.owner = Owner(_said(f"the {engine.NAME} files of fleet {fleet.name!r}"),
                       partial(fleet.where, "spec", "output", "engine"))
    if fleet_files:
        engine.fleet_files(tree, rendered)
    if tree.problems:
        raise InputError(tree.problems)
    return dict(sorted(tree.files.items()))


def _component_folder(tree: TreeBuilder, engine: OutputEngine, folder: str,
                      objects: list[RenderedObject], rendered: RenderedFleet) -> None:
    if any("sops" in obj.body for obj in objects):
        tree.encrypted.add(folder)
    names = _verbatim_files(tree, folder, [obj for obj in objects if obj.verbatim])
    stamped = [obj for obj in objects if not obj.verbatim]
    stems: dict[str, RenderedObject] = {}
    for obj, body in zip(stamped, engine.bodies(tree.fleet, stamped), strict=True):
        stem = file_stem(obj.ref.kind, obj.ref.name)
        owner = _object_owner(rendered, obj, tree.owner)
        other = stems.setdefault(stem, obj)
        if (other.ref.kind, other.ref.name) != (obj.ref.kind, obj.ref.name):
            tree.problems.append(Problem(owner.where, (
                f"{obj.ref} and {other.ref} ({_object_owner(rendered, other, None).where}) "
                f"would share the file name {stem}.yaml (file names are lower case, with "
                "'-' for other characters); rename one of them")))
            continue
        name, serial = f"{stem}.yaml", 1
        while name in names:  # same kind and name in two namespaces: keep both, stably
            serial += 1
            name = f"{stem}-{serial}.yaml"
        names.append(name)
        sources = [tree.fleet.spec_path] + ([obj.origin] if obj.origin else [])
        lines = generated_by(sources)
        lines.insert(1, f"Cluster {obj.cluster}, component {obj.component}.")
        tree.add(posixpath.join(folder, name), lines, body, obj, owner)
    sources = [tree.fleet.spec_path]
    tree.kustomization(folder, sorted(names), sources)


def _object_owner(rendered: RenderedFleet, obj: RenderedObject, fallback: Owner | None
                  ) -> Owner:
    """The template line an object starts at (its component's line for objects mcgen
    adds itself, such as a Namespace)."""
    if obj.origin:
        return Owner(partial("{} of {}".format, obj.ref, obj.origin),
                     partial(rendered.source_location, obj, obj.line))
    locate = fallback.locate if fallback else partial(rendered.fleet.where_component,
                                                      obj.component)
    return Owner(partial("{}, which mcgen adds for component {!r}".format, obj.ref,
                         obj.component), locate)


def _verbatim_files(tree: TreeBuilder, folder: str, objects: list[RenderedObject]
                    ) -> list[str]:
    """One file per verbatim piece, under the piece's own name; their names."""
    by_piece: dict[str, list[RenderedObject]] = {}
    for obj in objects:
        if obj.piece is not None:
            by_piece.setdefault(obj.piece.name, []).append(obj)
    for name, found in by_piece.items():
        tree.verbatim(posixpath.join(folder, name), found)
    return list(by_piece)
