"""A chart's files as mcgen reads them: in pure Python, so forked workers may key them.

A chart is a folder or a `.tgz` archive inside the repository. Its digest keys every
render of it (and is what `charts.lock` pins for a vendored archive: the sha256 of the
archive, as a repository's `index.yaml` carries it). Its template sources, those of its
subcharts included (folders or archives under `charts/`), are read for the functions
that make a render differ from run to run.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from mcgen.confine import escapes

ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")
MAX_CHART_BYTES = 64 * 1024 * 1024  # Helm's own limit for a decompressed chart is 100 MiB


class ChartFilesError(ValueError):
    pass


class ChartFiles(NamedTuple):
    path: str  # absolute
    digest: str  # "sha256:<hex>"
    inputs: tuple[str, ...]  # absolute paths of the files it is made of
    sources: tuple[tuple[str, str], ...]  # (path inside the chart, text) of each template
    chart_yaml: str  # the text of its own Chart.yaml


def is_archive(path: str) -> bool:
    return path.endswith(ARCHIVE_SUFFIXES)


def read_chart(path: str, root: str) -> ChartFiles:
    """The chart at `path` (a folder or archive under `root`); ChartFilesError if it is
    missing, leads outside `root` or is unreadable."""
    if escapes(path, root):
        raise ChartFilesError(f"{path} leads outside the repository")
    if os.path.isfile(path) and is_archive(path):
        info = os.stat(path)
        return _archive(path, info.st_size, info.st_mtime_ns)
    if not os.path.isdir(path):
        raise ChartFilesError("no chart there (a chart folder with Chart.yaml, or a .tgz)")
    if not os.path.isfile(os.path.join(path, "Chart.yaml")):
        raise ChartFilesError("the folder has no Chart.yaml")
    return _folder(path, root)


@lru_cache(maxsize=256)
def _archive(path: str, size: int, mtime_ns: int) -> ChartFiles:
    with open(path, "rb") as handle:
        data = handle.read()
    sources = tuple(_archive_sources(data, path))
    return ChartFiles(path, "sha256:" + hashlib.sha256(data).hexdigest(), (path,), sources,
                      dict(sources).get("Chart.yaml", ""))


def _archive_sources(data: bytes, shown: str) -> Iterator[tuple[str, str]]:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                if not member.isfile() or member.size > MAX_CHART_BYTES:
                    continue
                inside = member.name.split("/", 1)[1] if "/" in member.name else member.name
                extracted = archive.extractfile(member)
                content = extracted.read() if extracted is not None else b""
                yield from _source_of(inside, content, shown)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ChartFilesError(f"not a readable chart archive: {exc}") from None


def _source_of(inside: str, content: bytes, shown: str) -> Iterator[tuple[str, str]]:
    if inside == "Chart.yaml":
        yield inside, content.decode("utf-8", "replace")
    elif is_archive(inside) and inside.count("/") == 1 and inside.startswith("charts/"):
        for name, text in _archive_sources(content, shown):
            yield f"{inside}/{name}", text
    elif "/templates/" in f"/{inside}":
        yield inside, content.decode("utf-8", "replace")


def _folder(path: str, root: str) -> ChartFiles:
    files = sorted(_walk(path, root))
    stats = tuple((f, os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files)
    return _folder_files(path, stats)


@lru_cache(maxsize=256)
def _folder_files(path: str, stats: tuple[tuple[str, int, int], ...]) -> ChartFiles:
    digest = hashlib.sha256()
    sources: list[tuple[str, str]] = []
    for name, _, _ in stats:
        with open(name, "rb") as handle:
            content = handle.read()
        inside = os.path.relpath(name, path).replace(os.sep, "/")
        digest.update(f"{inside}\0{len(content)}\0".encode())
        digest.update(content)
        sources.extend(_source_of(inside, content, name))
    return ChartFiles(path, "sha256:" + digest.hexdigest(), tuple(s[0] for s in stats),
                      tuple(sources), dict(sources).get("Chart.yaml", ""))


def _walk(path: str, root: str) -> Iterator[str]:
    """Every file of the folder (all of them: one `.helmignore` leaves out only makes the
    digest a little stricter than Helm's view of the chart)."""
    for current, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in names:
            full = os.path.join(current, name)
            if escapes(full, root):
                inside = os.path.relpath(full, path)
                raise ChartFilesError(f"{inside} is a symlink leading outside the repository")
            yield full
