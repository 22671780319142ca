"""Which clusters a merge reaches at once, on the fleet's engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mcgen.changes import ChangeSet
    from mcgen.fleet.model import Fleet


def reached_at_merge(fleet: Fleet, changes: ChangeSet) -> list[str]:
    """The clusters of `fleet` the change alters that apply it as soon as it merges:
    none with Flux wave refs (a wave applies it when promoted), all of them otherwise
    (Argo CD's RollingSync orders them, but without a pause between waves)."""
    if fleet.output.engine == "flux" and fleet.output.flux.wave_refs:
        return []
    return [name for name in changes.touched() if name in fleet.clusters]
