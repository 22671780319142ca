"""A cluster's key as a render makes it and the index records it (`mcgen.render.pairs`
makes it; `mcgen.output.fastcheck` keeps it). Imports nothing: the index reads it."""

from __future__ import annotations

from typing import NamedTuple


class ClusterKey(NamedTuple):
    """A cluster's key, its pieces' keys, and the facts it was made from."""

    key: str
    pieces: tuple[str, ...]
    facts: str = ""  # `cluster_facts`; "" when none were taken (nothing to reuse it by)
