"""A cluster's key as a render makes it and the index records it (`mcgen.render.pairs`
makes it; `mcgen.output.fastcheck` keeps it). Imports nothing: the index reads it."""

from __future__ import annotations

from typing import NamedTuple


class Placed(NamedTuple):
    """One piece of a cluster as its key was made from it: the component it renders
    for, and the piece itself (`mcgen.sources.base.Piece`'s fields)."""

    component: str
    source: str
    origin: str
    key: str
    name: str = ""


class ClusterKey(NamedTuple):
    """A cluster's key, its pieces (in render order), and the facts it was made from.

    Equal facts make an equal key from equal pieces (`mcgen.render.pairs`), so a cluster
    whose facts are the recorded ones renders from its recorded pieces without preparing
    them again (`mcgen.render.engine.FleetRender`)."""

    key: str
    pieces: tuple[Placed, ...]
    facts: str = ""  # `cluster_facts`; "" when none were taken (nothing to reuse it by)
