"""The stat index's format: what the last render recorded of each file it owns, in one
block per cluster folder, so that a run reads and writes only what changed.

The file (`tree-*.idx` in mcgen's state folder) is a JSON header line, then blocks. A
block opens with a line `#<TAB>group<TAB>newest`: the group is the cluster folder its
files lie in ("" for the fleet's other files), `newest` the latest modification time
among them. Each following line is one file: path, size, modification and change times,
inode, digest, and the key of what its text was made of, tab-separated.

A block is kept as text until a run asks for its files: a render that keeps a cluster
copies its block into the next index unread. A file whose modification time lies within
a timestamp tick of the record is racy (git's "racily clean": a write in the same tick
would not have changed its time): it is not trusted, and its block is not settled.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from mcgen.output.files import KnownFile
from mcgen.render.clusterkey import ClusterKey

MARK = "#\t"  # opens a block: no path the index records starts with it
ROW_FIELDS = 7  # path, size, modification and change times, inode, digest, key


class Block(NamedTuple):
    """The rows of one group's files, as text, and the newest time among them."""

    rows: str
    newest: int

    @property
    def files(self) -> int:
        return self.rows.count("\n")


def block_of(rows: Iterable[str]) -> Block:
    """A block of `rows` (each a whole line): its newest modification time is read off."""
    text = "".join(rows)
    lines = text.splitlines()
    newest = max((int(line.split("\t", 3)[2]) for line in lines), default=0)
    return Block(text, newest)


def index_text(head: Mapping[str, object], blocks: Mapping[str, Block]) -> Iterable[str]:
    """The index file's text, in pieces: its header, then each group's block."""
    yield json.dumps(head) + "\n"
    for group in sorted(blocks):
        block = blocks[group]
        yield f"{MARK}{group}\t{block.newest}\n"
        yield block.rows


class Index:
    """What the last render or clean check recorded of a fleet's tree."""

    def __init__(self, blocks: Mapping[str, Block], clusters: Mapping[str, ClusterKey],
                 cutoff: int, fleet: str = "") -> None:
        self.blocks = blocks
        self.clusters = clusters  # each cluster's key
        self.cutoff = cutoff  # a time at or after this is racy
        self.fleet = fleet  # the fleet's name when recorded: its stamps name it
        self._known: dict[str, KnownFile] | None = None

    @classmethod
    def empty(cls) -> Index:
        """No memory at all: every file is read, every cluster rendered."""
        return cls({}, {}, 0)

    def of(self, fleet: str) -> Index:
        """This index if it was recorded for `fleet` (a renamed fleet restamps every
        file), else an empty one."""
        return self if self.fleet == fleet else Index.empty()

    def settled(self, group: str) -> bool:
        """Whether the group has a block and none of its files is racy."""
        block = self.blocks.get(group)
        return block is not None and block.newest < self.cutoff

    def files(self, groups: Iterable[str]) -> dict[str, KnownFile]:
        """The trusted files of `groups` (not the racy ones), read from their blocks."""
        found: dict[str, KnownFile] = {}
        for group in groups:
            block = self.blocks.get(group)
            if block is not None:
                _read_rows(block.rows, self.cutoff, found)
        return found

    @property
    def known(self) -> dict[str, KnownFile]:
        """Every trusted file of every group."""
        if self._known is None:
            self._known = self.files(self.blocks)
        return self._known


def _read_rows(rows: str, cutoff: int, into: dict[str, KnownFile]) -> None:
    """The rows' files into `into`, but the racy ones and any line that is no row (a
    file not trusted is only read again)."""
    for line in rows.splitlines():
        parts = line.split("\t")
        if len(parts) != ROW_FIELDS or not parts[2].isdigit():
            continue
        if int(parts[2]) < cutoff:
            into[parts[0]] = KnownFile("\t".join(parts[1:5]), parts[5], parts[6])


def parse_index(text: str, version: int) -> Index:
    """The index in `text`; ValueError, KeyError or TypeError if it is not one."""
    return read_index(text.splitlines(keepends=True), version)


def read_index(lines: Iterable[str], version: int,
               wanted: Callable[[str], bool] | None = None) -> Index:
    """The index of `lines` (its file, line by line), with the blocks of the groups
    `wanted` only (default: all): a shard, or a run that needs only the clusters' keys
    of the header, never holds the rows of a large fleet's other files. ValueError,
    KeyError or TypeError if it is not an index."""
    lines = iter(lines)
    head = json.loads(next(lines, ""))
    if not isinstance(head, dict) or head.get("version") != version:
        raise ValueError("another version")
    cutoff = int(head["recorded"]) - int(head["tick"])
    blocks: dict[str, Block] = {}
    group: str | None = None
    newest = 0
    rows: list[str] | None = None
    for line in lines:
        if line.startswith(MARK):
            _close(blocks, group, newest, rows)
            group, stamp = line[len(MARK):].rstrip("\n").split("\t")
            newest = int(stamp)
            rows = [] if wanted is None or wanted(group) else None
        elif group is None:
            raise ValueError("rows before the first block")
        elif rows is not None:
            rows.append(line)
    _close(blocks, group, newest, rows)
    clusters = head.get("clusters") or {}
    if not isinstance(clusters, dict):
        raise TypeError("clusters")
    return Index(blocks, _keys(clusters), cutoff, str(head.get("fleet", "")))


def _close(blocks: dict[str, Block], group: str | None, newest: int,
           rows: list[str] | None) -> None:
    """The block just read, into `blocks` (its rows end in a line break)."""
    if group is None or rows is None:
        return
    text = "".join(rows)
    blocks[group] = Block(text + "\n" if text and not text.endswith("\n") else text, newest)


def _keys(clusters: dict[object, object]) -> dict[str, ClusterKey]:
    """The clusters' keys as recorded; TypeError for anything else."""
    found: dict[str, ClusterKey] = {}
    for name, value in clusters.items():
        if not isinstance(value, list) or len(value) != len(ClusterKey._fields):
            raise TypeError("clusters")
        key, pieces, facts = value
        if not (isinstance(key, str) and isinstance(facts, str) and isinstance(pieces, list)
                and all(isinstance(p, str) for p in pieces)):
            raise TypeError("clusters")
        found[str(name)] = ClusterKey(key, tuple(pieces), facts)
    return found
