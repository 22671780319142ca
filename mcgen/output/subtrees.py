"""A fleet's tree judged cluster by cluster against the no-op record
(`mcgen.output.noop`): whether a cluster's whole folder is as the record has it, so a
render may keep the cluster without listing it, and the record's lines of that folder,
to copy into the next record unread."""

from __future__ import annotations

from collections.abc import Iterable, Set

from mcgen.output.noop import Recorded, folder_clean, load_record, read_folder


class Subtrees:
    """The record's folders by the subtree they lie in (a cluster's folder), to judge a
    subtree as the no-op check judges the whole tree, and to copy its rows into the next
    record when a render keeps it without listing it."""

    def __init__(self, root: str, spec_path: str, tops: Iterable[str]) -> None:
        self.root = root
        found = load_record(root, spec_path)
        self._lines: dict[str, list[str]] = {}
        self._racy: set[str] = set()
        wanted = {top.rstrip("/") for top in tops}
        for line in (found.folders if found is not None else ()):
            top = top_of(_path_of(line), wanted)
            if top is not None:
                self._lines.setdefault(top, []).append(line)
        for path, _ in (found.racy if found is not None else ()):
            top = top_of(path.rpartition("/")[0], wanted)
            if top is not None:
                self._racy.add(top)

    def clean(self, top: str) -> bool:
        """Whether the subtree at `top` is exactly as recorded, every file and folder
        settled (none too recent to trust by its stat): nothing added, removed or edited."""
        rows = [read_folder(line) for line in self._lines.get(top, ())]
        if top in self._racy or not any(row is not None and row.path == top for row in rows):
            return False
        return all(row is not None and row.listing is None and folder_clean(self.root, row)
                   for row in rows)

    def rows(self, top: str) -> list[Recorded]:
        """The recorded rows of the subtree at `top` (judged `clean`)."""
        return [Recorded(_path_of(line), line) for line in self._lines.get(top, ())]


def _path_of(line: str) -> str:
    """The folder a record line is of, read without parsing the line where it can be
    (a path with nothing JSON escapes); "" for a line that is no row."""
    end = line.find('"', 2)
    path = line[2:end] if line.startswith('["') and end > 0 else ""
    if "\\" not in path:
        return path
    row = read_folder(line)
    return row.path if row is not None else ""


def top_of(path: str, tops: Set[str]) -> str | None:
    """The folder of `tops` that `path` is or lies in, if any (a cluster's folder)."""
    while path and path not in tops:
        path = path.rpartition("/")[0]
    return path or None
