"""Plain kustomize: each cluster's folder is a kustomization of its component folders,
for whatever applies it (`kubectl apply -k`, a CI job, a controller mcgen does not know)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet
    from mcgen.output.layout import TreeBuilder
    from mcgen.render.engine import RenderedFleet, RenderedObject

NAME = "kustomize"
NEEDS_REPO_URL = False
NEEDS_API_SERVER = False


def cluster_files(tree: TreeBuilder, top: str, cluster: str, components: list[str]) -> None:
    tree.kustomization(top, components, [tree.fleet.spec_path])


def staging_hint(fleet: Fleet) -> str | None:
    """None: what applies a kustomize tree, and in which order, is not mcgen's to know."""
    return None


def fleet_files(tree: TreeBuilder, rendered: RenderedFleet) -> None:
    """Nothing beside the clusters."""


def fleet_folders(fleet: Fleet) -> list[str]:
    return []


def bodies(fleet: Fleet, objects: Sequence[RenderedObject]) -> list[dict[str, object]]:
    return [obj.body for obj in objects]
