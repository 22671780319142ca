"""What the output tree is made of, as the plan sees it: files to make, files on disk."""

from __future__ import annotations

import os
import stat
from typing import NamedTuple, Protocol


class FileStat(NamedTuple):
    """What lstat says of a file, as much as mcgen looks at (and cheap to pickle)."""

    mode: int
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, info: os.stat_result) -> FileStat:
        return cls(info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)

    @property
    def text(self) -> str:
        """Size, modification and change times, and inode, as the index writes them."""
        return f"{self.size}\t{self.mtime_ns}\t{self.ctime_ns}\t{self.inode}"


class KnownFile(NamedTuple):
    """A file as mcgen last left it (`mcgen.output.fastcheck` keeps these)."""

    stat: str  # FileStat.text, compared as written: the index is read without parsing it
    digest: str
    key: str  # the Planned.key its text came from ("" when unknown)

    def matches(self, info: FileStat | None) -> bool:
        return info is not None and stat.S_ISREG(info.mode) and info.text == self.stat


class Planned(Protocol):
    """A file to write whose text is made on demand, with a digest of what it is made of."""

    @property
    def key(self) -> str: ...

    @property
    def text(self) -> str: ...


Wanted = str | Planned  # what the plan is given for each path


def verbatim(planned: Wanted) -> bool:
    """A file whose bytes are written as they are, with no header and no stamp (the
    `manifests:` source): its stamp goes to a sidecar (`mcgen.output.ownership`)."""
    return bool(getattr(planned, "verbatim", False))
