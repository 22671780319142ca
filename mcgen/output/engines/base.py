"""What an output engine is: the files a GitOps controller reads besides the objects.

Every engine writes the same component folders (`<dir>/<cluster>/<component>/`); what
differs is what sits at a cluster's top (a plain kustomization, or Flux Kustomizations),
what the fleet gets beside the clusters (Argo CD Applications), and whether objects inside
one component folder are ordered for the controller. Engines are modules, listed in
`registry.py`; mypy checks each against `OutputEngine` there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet
    from mcgen.output.layout import TreeBuilder
    from mcgen.render.engine import RenderedFleet, RenderedObject


class OutputEngine(Protocol):
    """One value of `spec.output.engine`."""

    @property
    def NAME(self) -> str:
        """The name `spec.output.engine` uses."""

    @property
    def NEEDS_REPO_URL(self) -> bool:
        """Whether the controller pulls from `spec.output.repoURL`."""

    @property
    def NEEDS_API_SERVER(self) -> bool:
        """Whether every cluster needs `apiServer` (a destination outside the cluster)."""

    def staging_hint(self, fleet: Fleet) -> str | None:
        """None when the engine stages waves as configured (a later wave applies a change
        only after the earlier ones), else what to set so that it does."""

    def cluster_files(self, tree: TreeBuilder, top: str, cluster: str,
                      components: list[str]) -> None:
        """The files at the top of one cluster's folder `top`."""

    def fleet_files(self, tree: TreeBuilder, rendered: RenderedFleet) -> None:
        """The files of the whole fleet beside the cluster folders."""

    def fleet_folders(self, fleet: Fleet) -> list[str]:
        """The repo-relative folders `fleet_files` writes in outside the output folder
        (an incremental lint watches them for hand edits)."""

    def bodies(self, fleet: Fleet, objects: Sequence[RenderedObject]
               ) -> list[dict[str, object]]:
        """The bodies to write for one component folder's objects, in their order."""
