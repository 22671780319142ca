"""The plans of a fleet's parts put together as one (`mcgen.pipeline` renders a large
fleet a part at a time): what the pipeline still asks of a plan once the part is staged
(its paths, writes, removals, hand edits, and what the records keep of each file), and
none of the parts' rendered objects or bytes but those a check reports."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping

from mcgen.output.files import FileStat
from mcgen.output.tree import TreePlan


class Listed(Mapping[str, bytes]):
    """Every path the parts wanted; the bytes only of those written, when kept (a
    check's diff and findings show them; a render has staged them already)."""

    def __init__(self, paths: dict[str, None], written: dict[str, bytes]) -> None:
        self._paths = paths
        self._written = written

    def __getitem__(self, path: str) -> bytes:
        return self._written[path]

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class Bytes(enum.Enum):
    """Which new bytes a joined plan keeps of the files it writes."""

    NONE = "none"  # a render: they are staged already
    EDITED = "edited"  # a lint's findings: where a file exists, the line it differs at
    ALL = "all"  # a check's diff: the new files' too


class Joined:
    """The parts' plans, added one by one; `plan()` is them as one TreePlan."""

    def __init__(self, root: str, fleet: str, keep_bytes: Bytes) -> None:
        self.root = root
        self.fleet = fleet
        self.keep_bytes = keep_bytes
        self.paths: dict[str, None] = {}
        self.written: dict[str, bytes] = {}
        self.writes: list[str] = []
        self.deletes: list[str] = []
        self.hand_edited: list[str] = []
        self.current: dict[str, bytes | None] = {}
        self.digests: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.infos: dict[str, FileStat | None] = {}
        self.folders: dict[str, str] = {}
        self.read = 0

    def add(self, plan: TreePlan) -> None:
        """Keep what is asked of `plan` later; its texts and objects may go."""
        self.paths.update(dict.fromkeys(plan.desired))
        if self.keep_bytes is not Bytes.NONE:
            everything = self.keep_bytes is Bytes.ALL
            self.written.update((path, plan.desired[path]) for path in plan.writes
                                if everything or plan.current.get(path) is not None)
        self.writes.extend(plan.writes)
        self.deletes.extend(plan.deletes)
        self.hand_edited.extend(plan.hand_edited)
        shown = (*plan.writes, *plan.deletes)
        self.current.update((p, plan.current[p]) for p in shown if p in plan.current)
        self.digests.update(plan.digests)
        self.keys.update(plan.keys)
        self.infos.update(plan.infos)
        self.folders.update(plan.folders)
        self.read += plan.read

    def plan(self) -> TreePlan:
        return TreePlan(root=self.root, fleet=self.fleet,
                        desired=Listed(self.paths, self.written),
                        writes=tuple(sorted(self.writes)), deletes=tuple(sorted(self.deletes)),
                        hand_edited=tuple(sorted(self.hand_edited)), current=self.current,
                        digests=self.digests, keys=self.keys, infos=self.infos,
                        folders=self.folders, read=self.read)


def joined(plans: list[TreePlan]) -> TreePlan:
    """Plans of one repository (several fleets) as one, for one commit."""
    first = plans[0]
    together = Joined(first.root, first.fleet, Bytes.NONE)
    for plan in plans:
        together.writes.extend(plan.writes)
        together.deletes.extend(plan.deletes)
    return together.plan()


def compact(plan: TreePlan, keep_bytes: Bytes) -> TreePlan:
    """`plan` as a Joined keeps it: what the rest of the render asks of a staged part
    (one rendered in another process sends back this, not its objects)."""
    alone = Joined(plan.root, plan.fleet, keep_bytes)
    alone.add(plan)
    return alone.plan()
