"""The output tree (FLEET-SPEC §5): which file holds what, for each engine."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from mcgen.fleet.model import Fleet
from mcgen.objects import file_stem
from mcgen.output import gitops
from mcgen.output.emit import canonical_yaml, generated_by, header
from mcgen.render.engine import RenderedFleet, RenderedObject

KUSTOMIZATION = "kustomization.yaml"


@dataclass(frozen=True)
class OutputFile:
    """A file mcgen generates: its repo-relative path, text, and the object it holds."""

    path: str
    text: str = field(repr=False)
    obj: RenderedObject | None = None
    body_offset: int = 0  # lines of header before the object's first line


@dataclass
class TreeBuilder:
    fleet: Fleet
    files: dict[str, OutputFile] = field(default_factory=dict)

    def add(self, path: str, lines: list[str], body: dict[str, object],
            obj: RenderedObject | None = None) -> None:
        top = header(lines)
        self.files[path] = OutputFile(path, top + canonical_yaml(body), obj, top.count("\n"))

    def kustomization(self, folder: str, resources: list[str], sources: list[str]) -> None:
        body: dict[str, object] = {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": resources,
        }
        self.add(posixpath.join(folder, KUSTOMIZATION), generated_by(sources), body)


def build_tree(rendered: RenderedFleet) -> dict[str, OutputFile]:
    """Every file of the fleet's output tree, keyed by repo-relative path."""
    fleet = rendered.fleet
    tree = TreeBuilder(fleet)
    root = fleet.output.dir.rstrip("/")
    by_pair: dict[tuple[str, str], list[RenderedObject]] = {}
    for obj in rendered.objects:
        by_pair.setdefault((obj.cluster, obj.component), []).append(obj)
    for cluster in fleet.clusters:
        components = [c.name for c in fleet.components_on(cluster)]
        for component in components:
            folder = posixpath.join(root, cluster, component)
            _component_folder(tree, folder, by_pair.get((cluster, component), []))
        top = posixpath.join(root, cluster)
        if fleet.output.engine == "flux":
            gitops.flux_cluster(tree, top, cluster, components)
        else:
            tree.kustomization(top, components, [fleet.spec_path])
    if fleet.output.engine == "argocd":
        gitops.argocd_tree(tree, rendered)
    return dict(sorted(tree.files.items()))


def _component_folder(tree: TreeBuilder, folder: str, objects: list[RenderedObject]) -> None:
    names: list[str] = []
    for obj in objects:
        stem = file_stem(obj.ref.kind, obj.ref.name)
        name, serial = f"{stem}.yaml", 1
        while name in names:  # same kind and name in two namespaces: keep both, stably
            serial += 1
            name = f"{stem}-{serial}.yaml"
        names.append(name)
        sources = [tree.fleet.spec_path] + ([obj.template] if obj.template else [])
        lines = generated_by(sources)
        lines.insert(1, f"Cluster {obj.cluster}, component {obj.component}.")
        tree.add(posixpath.join(folder, name), lines, obj.body, obj)
    sources = [tree.fleet.spec_path]
    tree.kustomization(folder, sorted(names), sources)
