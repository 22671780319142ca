"""The output tree (FLEET-SPEC §5): which file holds what; the engine (`engines/`) adds
what its controller reads."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field
from functools import cached_property

from mcgen.fleet.model import Fleet
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

    @property
    def verbatim(self) -> bool:
        """Written as its source gave it (`manifests:`): stamped in a sidecar, not in the
        file (`mcgen.output.ownership`)."""
        return self.obj is not None and self.obj.verbatim and not self.head

    @property
    def body_offset(self) -> int:
        """Lines of header before the object's first line."""
        return self.head.count("\n")

    @cached_property
    def key(self) -> str:
        """A digest of everything the text is made of, without making it: mcgen's code,
        the header, the keys `body` has of its own, and the document it shares the rest
        with (`Tail`)."""
        tail = self.obj.tail if self.obj is not None else None
        if tail is not None and tail.key:
            own = {key: self.body[key] for key in TOP_ORDER if key in self.body}
            made = repr((code_fingerprint(), self.head, own, tail.key))
        else:
            made = repr((code_fingerprint(), self.head, self.body, ""))
        return hashlib.sha256(made.encode()).hexdigest()

    @cached_property
    def text(self) -> str:
        return self.head + canonical_yaml(self.body, self.obj.tail if self.obj else None)


@dataclass
class TreeBuilder:
    fleet: Fleet
    files: dict[str, OutputFile] = field(default_factory=dict)

    def add(self, path: str, lines: list[str], body: dict[str, object],
            obj: RenderedObject | None = None) -> None:
        self.files[path] = OutputFile(path, header(lines), body, obj)

    def kustomization(self, folder: str, resources: list[str], sources: list[str]) -> None:
        body: dict[str, object] = {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": resources,
        }
        self.add(posixpath.join(folder, KUSTOMIZATION), generated_by(sources), body)


def build_tree(rendered: RenderedFleet) -> dict[str, OutputFile]:
    """Every file of the fleet's output tree, keyed by repo-relative path, but those of
    the clusters `rendered` reused."""
    fleet = rendered.fleet
    engine = engine_of(fleet)
    tree = TreeBuilder(fleet)
    root = fleet.output.dir.rstrip("/")
    by_pair: dict[tuple[str, str], list[RenderedObject]] = {}
    for obj in rendered.objects:
        by_pair.setdefault((obj.cluster, obj.component), []).append(obj)
    for cluster in fleet.clusters:
        if cluster in rendered.reused:
            continue  # its files stay as the last render left them (see `generate`)
        components = [c.name for c in fleet.components_on(cluster)]
        for component in components:
            folder = posixpath.join(root, cluster, component)
            _component_folder(tree, engine, folder, by_pair.get((cluster, component), []))
        engine.cluster_files(tree, posixpath.join(root, cluster), cluster, components)
    engine.fleet_files(tree, rendered)
    return dict(sorted(tree.files.items()))


def _component_folder(tree: TreeBuilder, engine: OutputEngine, folder: str,
                      objects: list[RenderedObject]) -> None:
    names: list[str] = []
    for obj, body in zip(objects, engine.bodies(tree.fleet, objects), strict=True):
        stem = file_stem(obj.ref.kind, obj.ref.name)
        name, serial = f"{stem}.yaml", 1
        while name in names:  # same kind and name in two namespaces: keep both, stably
            serial += 1
            name = f"{stem}-{serial}.yaml"
        names.append(name)
        sources = [tree.fleet.spec_path] + ([obj.origin] if obj.origin else [])
        lines = generated_by(sources)
        lines.insert(1, f"Cluster {obj.cluster}, component {obj.component}.")
        tree.add(posixpath.join(folder, name), lines, body, obj)
    sources = [tree.fleet.spec_path]
    tree.kustomization(folder, sorted(names), sources)
