"""The stat index's format: what the last render recorded of each file it owns, in one
block per cluster folder, each block a file of its own, so that a run reads and writes
only the blocks of the clusters that changed.

The index (`tree-*.idx` in mcgen's state folder) is a JSON header line, then one line
per block: `#<TAB>group<TAB>newest<TAB>files<TAB>name`. The group is the cluster folder
its files lie in ("" for the fleet's other files), `newest` the latest modification time
among them, `files` how many rows it has, and `name` the digest of its rows: its file in
the blocks folder beside the index (`tree-*.blocks/`), content-addressed, so a render
that keeps a cluster names its block again and neither reads nor writes it. Each row of
a block is one file: path, size, modification and change times, inode, digest, and the
key of what its text was made of, tab-separated.

A block is read only when a run asks for its files, and only if its text still has the
digest it is named by; a block that is gone (a render in between pruned it) or altered
is trusted for nothing: its files are read again. A file whose modification time lies
within a timestamp tick of the record is racy (git's "racily clean": a write in the same
tick would not have changed its time): it is not trusted, and its block is not settled.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from mcgen.output.files import KnownFile
from mcgen.render.clusterkey import ClusterKey, Placed

MARK = "#\t"  # opens a block's line: no path the index records starts with it
ROW_FIELDS = 7  # path, size, modification and change times, inode, digest, key
BLOCK_FIELDS = 4  # group, newest, files, name


class Block(NamedTuple):
    """One group's files: its file's name (the digest of its rows), the newest time
    among them and how many there are; `rows`, the text, only when this run made it."""

    name: str
    newest: int
    files: int
    rows: str | None = None


def block_name(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def block_of(rows: Iterable[str]) -> Block:
    """A block of `rows` (each a whole line): named, its newest time read off."""
    text = "".join(rows)
    lines = text.splitlines()
    newest = max((int(line.split("\t", 3)[2]) for line in lines), default=0)
    return Block(block_name(text), newest, len(lines), text)


def index_text(head: Mapping[str, object], blocks: Mapping[str, Block]) -> Iterable[str]:
    """The index file's text, in pieces: its header, then each group's block line."""
    yield json.dumps(head) + "\n"
    for group in sorted(blocks):
        block = blocks[group]
        yield f"{MARK}{group}\t{block.newest}\t{block.files}\t{block.name}\n"


class BlockStore:
    """The blocks folder beside an index: one file per block, named by its digest."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def read(self, block: Block) -> str:
        """The block's rows; "" (nothing trusted) if its file is gone or not its text."""
        if block.rows is not None:
            return block.rows
        if not self.folder or not _is_name(block.name):
            return ""
        try:
            with open(os.path.join(self.folder, block.name), encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            return ""
        return text if block_name(text) == block.name else ""

    def write(self, blocks: Iterable[Block]) -> None:
        """Write the blocks made by this run that the folder does not hold yet, each
        atomically; OSError if one cannot be."""
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        for block in blocks:
            path = os.path.join(self.folder, block.name)
            if block.rows is None or os.path.exists(path):
                continue
            temporary = f"{path}.{os.getpid()}.tmp"
            try:
                with open(temporary, "w", encoding="utf-8") as handle:
                    handle.write(block.rows)
                os.replace(temporary, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)

    def prune(self, kept: Iterable[Block]) -> None:
        """Remove every block file the index no longer names (call it under the lock)."""
        names = {block.name for block in kept}
        with contextlib.suppress(OSError):
            for name in os.listdir(self.folder):
                if name not in names:
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(self.folder, name))


def _is_name(name: str) -> bool:
    """A block's name is its digest: 32 hex digits, never a path (the index is data)."""
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)


class Index:
    """What the last render or clean check recorded of a fleet's tree."""

    def __init__(self, blocks: Mapping[str, Block], clusters: Mapping[str, ClusterKey],
                 cutoff: int, fleet: str = "", store: BlockStore | None = None) -> None:
        self.blocks = blocks
        self.clusters = clusters  # each cluster's key
        self.cutoff = cutoff  # a time at or after this is racy
        self.fleet = fleet  # the fleet's name when recorded: its stamps name it
        self.store = store or BlockStore("")
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
                _read_rows(self.store.read(block), self.cutoff, found)
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


def parse_index(text: str, version: int, store: BlockStore | None = None) -> Index:
    """The index in `text`; ValueError, KeyError or TypeError if it is not one."""
    return read_index(text.splitlines(keepends=True), version, store)


def read_index(lines: Iterable[str], version: int, store: BlockStore | None = None,
               wanted: Callable[[str], bool] | None = None) -> Index:
    """The index of `lines` (its file, line by line), with the blocks of the groups
    `wanted` only (default: all): a shard never trusts the rows of the fleet's other
    files. ValueError, KeyError or TypeError if it is not an index."""
    lines = iter(lines)
    head = json.loads(next(lines, ""))
    if not isinstance(head, dict) or head.get("version") != version:
        raise ValueError("another version")
    cutoff = int(head["recorded"]) - int(head["tick"])
    blocks: dict[str, Block] = {}
    for line in lines:
        if not line.startswith(MARK):
            raise ValueError("not a block's line")
        fields = line[len(MARK):].rstrip("\n").split("\t")
        if len(fields) != BLOCK_FIELDS:
            raise ValueError("not a block's line")
        group, newest, files, name = fields
        if wanted is None or wanted(group):
            blocks[group] = Block(name, int(newest), int(files))
    clusters, pieces = head.get("clusters") or {}, head.get("pieces") or []
    if not (isinstance(clusters, dict) and isinstance(pieces, list)):
        raise TypeError("clusters")
    return Index(blocks, _keys(clusters, [_placed(p) for p in pieces]), cutoff,
                 str(head.get("fleet", "")), store)


def _placed(fields: object) -> Placed:
    """A piece as the header keeps it (`keys_text`); TypeError for anything else."""
    if not (isinstance(fields, list) and len(fields) == len(Placed._fields)
            and all(isinstance(f, str) and f.isprintable() for f in fields)):
        raise TypeError("pieces")  # an origin is a path and goes into file headers
    return Placed(*fields)


def keys_text(clusters: Mapping[str, ClusterKey]) -> dict[str, object]:
    """The clusters' keys as the header keeps them: each piece once ("pieces", its
    fields in a list), and each cluster's key, its pieces by their place in that list,
    and its facts. The clusters of a fleet share most pieces: a thousand of them list a
    few hundred."""
    places: dict[Placed, int] = {}
    kept = {name: [found.key, [places.setdefault(p, len(places)) for p in found.pieces],
                   found.facts] for name, found in clusters.items()}
    return {"pieces": [list(p) for p in places], "clusters": kept}


def _keys(clusters: dict[object, object], pieces: list[Placed]) -> dict[str, ClusterKey]:
    """The clusters' keys as recorded (`keys_text`); TypeError for anything else."""
    found: dict[str, ClusterKey] = {}
    for name, value in clusters.items():
        if not isinstance(value, list) or len(value) != len(ClusterKey._fields):
            raise TypeError("clusters")
        key, places, facts = value
        if not (isinstance(key, str) and isinstance(facts, str) and isinstance(places, list)
                and all(type(p) is int and 0 <= p < len(pieces) for p in places)):
            raise TypeError("clusters")
        found[str(name)] = ClusterKey(key, tuple(pieces[p] for p in places), facts)
    return found
