"""Which files on disk a fleet owns, judged from their stamps (`mcgen.output.ownership`)
as the plan reads them; and the sidecars that hold the stamps of verbatim files."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from mcgen.output.files import FileStat, KnownFile, Planned, Wanted, verbatim
from mcgen.output.ownership import (
    EDITED,
    Reader,
    claim,
    digest,
    intact,
    is_sidecar,
    legacy,
    owned_by,
    sidecar,
    stamp_line,
)

# mcgen writes nothing this large: a bigger file in the output folder is not read to see
# whose it is (a planted one would fill the memory).
MAX_OWNED_BYTES = 64 * 2**20


class Sidecar:
    """The sidecar holding a verbatim file's stamp, made from that file's text."""

    verbatim = True

    def __init__(self, fleet: str, planned: str | Planned) -> None:
        self._fleet = fleet
        self._planned = planned

    @property
    def key(self) -> str:
        planned = self._planned
        return "" if isinstance(planned, str) else f"{planned.key}.sidecar"

    @property
    def text(self) -> str:
        planned = self._planned
        body = (planned if isinstance(planned, str) else planned.text).encode()
        return stamp_line(self._fleet, body).decode()


def with_sidecars(fleet: str, files: Mapping[str, Wanted]
                  ) -> Mapping[str, Wanted]:
    """`files` and, beside each verbatim one, the sidecar holding its stamp."""
    extra = {sidecar(path): Sidecar(fleet, planned) for path, planned in files.items()
             if verbatim(planned)}
    return {**files, **extra} if extra else files


def owned_extra(fleet: str, spec_path: str, record: str, extra: list[str],
                infos: Mapping[str, FileStat | None], known: Mapping[str, KnownFile],
                read: Reader, listed: Mapping[str, str]) -> dict[str, str]:
    """Of the files on disk the fleet does not produce (`extra`), those it owns, to
    remove: by their stamps, an old record (`listed`), or as the old record itself."""
    trusted = {path: entry.digest for path in extra
               if (entry := known.get(path)) is not None and entry.matches(infos[path])}
    owned = owned_by(fleet, spec_path, extra, read, trusted, listed)
    data = read(record) if record in extra else None
    if data is not None:
        owned[record] = digest(data)  # the record of an mcgen without stamps: removed
    return owned


def owned_desired(fleet: str, spec_path: str, files: Mapping[str, Wanted],
                   digests: Mapping[str, str | None], known: Mapping[str, KnownFile],
                   current: Mapping[str, bytes | None], listed: Mapping[str, str]
                   ) -> dict[str, str]:
    """Of the files the fleet produces that exist on disk, those it owns, with the
    digest each had as mcgen wrote it."""
    owned: dict[str, str] = {}
    for path in files:
        found = digests[path]
        data = current.get(path)
        if found is None or (verbatim(files[path]) and not is_sidecar(path)):
            continue  # missing, or judged by its sidecar below
        if data is None:  # not read: as mcgen left it, by the index
            owned[path] = found
            continue
        stamp = claim(data)
        if stamp is not None:
            if stamp.fleet == fleet:
                owned[path] = found if is_sidecar(path) or intact(data, stamp) else EDITED
        elif path in listed:
            owned[path] = listed[path]
        elif path in known or legacy(data, spec_path):
            owned[path] = known[path].digest if path in known else found
    for path, planned in files.items():
        if verbatim(planned) and not is_sidecar(path) and digests[path] is not None:
            owned.update(_verbatim_owned(fleet, path, digests, current, known))
    return owned


def _verbatim_owned(fleet: str, path: str, digests: Mapping[str, str | None],
                    current: Mapping[str, bytes | None], known: Mapping[str, KnownFile]
                    ) -> dict[str, str]:
    found = digests[path]
    assert found is not None
    if path in known and current.get(path) is None:
        return {path: found}
    side = current.get(sidecar(path))
    stamp = claim(side) if side is not None else None
    if stamp is None:
        return {path: known[path].digest} if path in known else {}
    data = current.get(path)
    same = data is not None and hashlib.sha256(data).hexdigest() == stamp.sha
    return {path: found if same else EDITED} if stamp.fleet == fleet else {}


