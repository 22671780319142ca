"""Where mcgen may write: inside the repository, through real folders, over no folder.

A plan is checked path by path before the commit point, or the journal could never be
applied. Each folder is looked at once, not once per file.
"""

from __future__ import annotations

import os
import posixpath
import stat
from typing import TYPE_CHECKING

from mcgen.location import Location, Problem

if TYPE_CHECKING:
    from mcgen.output.files import FileStat


def unsafe(root: str, real_root: str, path: str, info: FileStat | None,
            folders: dict[str, str]) -> list[Problem]:
    """Refuse a path that leaves the repository by name, passes a symlinked folder, or
    meets a folder where the file goes or a file where a folder goes (found before the
    commit point, or the journal could never be applied).

    Any symlinked folder is refused, not only one leading outside: inside the repository
    it could still lead into `.git/` or onto files mcgen does not own. Each folder is
    looked at once, not once per file.
    """
    normal = posixpath.normpath(path)
    if normal != path or path.startswith(("/", "../")) or "\x00" in path:
        return [Problem(Location(path), "refusing to write outside the output folder")]
    if info is not None and stat.S_ISDIR(info.mode):
        return [Problem(Location(path), "is a folder where mcgen writes a file; move it away")]
    folder = posixpath.dirname(path)
    blocked = _folder_problem(root, folder, folders)
    if blocked == LINKED:
        real = os.path.realpath(os.path.join(root, folder))
        inside = real.startswith(real_root + os.sep)
        where = "elsewhere in the repository" if inside else "outside the repository"
        return [Problem(Location(path), f"a folder on this path is a symlink leading {where} "
                                        f"(to {real}); mcgen never writes through symlinks")]
    if blocked:
        return [Problem(Location(path), f"{blocked} is a file where mcgen needs a folder; "
                                        "move it away")]
    return []


LINKED = "\x00link"


def _folder_problem(root: str, folder: str, folders: dict[str, str]) -> str:
    """"" when `folder` is (or can be made) a real folder of the repository; LINKED when
    it or a folder above is a symlink; else the path of the file standing in the way."""
    if not folder:
        return ""
    found = folders.get(folder)
    if found is None:
        found = _folder_problem(root, posixpath.dirname(folder), folders)
        if not found:
            try:
                info = os.lstat(os.path.join(root, folder))
            except (FileNotFoundError, NotADirectoryError):
                info = None
            if info is not None and stat.S_ISLNK(info.st_mode):
                found = LINKED
            elif info is not None and not stat.S_ISDIR(info.st_mode):
                found = folder
        folders[folder] = found
    return found
