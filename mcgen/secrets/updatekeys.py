"""`mcgen secrets updatekeys`: every encrypted file re-keyed to its clusters' recipients.

After a recipient changes in the fleet (a key rotated, a cluster added to a placement),
each SOPS file under the folders of `mcgen.secrets.placement` is compared with the
recipients its clusters now have. Stale files are handed to the user's `sops
updatekeys`, which re-encrypts the file's data key with keys from the user's own
environment; mcgen never sees a private key or a decrypted value. Files mcgen generated
(copies in the output tree) are left to `mcgen render`, which copies their sources again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from mcgen.fleet.model import Fleet
from mcgen.output.ownership import generated_paths
from mcgen.secrets.placement import SecretFolder, secret_folders
from mcgen.sops.binary import update_keys
from mcgen.sops.metadata import read_metadata
from mcgen.sops.recipients import Recipient
from mcgen.yaml.manifests import DocumentError, parse_documents

Status = Literal["current", "stale", "updated", "failed"]
SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class KeyState:
    """One encrypted file: the recipients it lists and those its clusters have."""

    path: str  # repo-relative
    folder: SecretFolder
    listed: tuple[Recipient, ...]
    wanted: tuple[Recipient, ...]
    status: Status = "current"
    detail: str = ""

    @property
    def added(self) -> tuple[Recipient, ...]:
        return tuple(r for r in self.wanted if r not in self.listed)

    @property
    def removed(self) -> tuple[Recipient, ...]:
        return tuple(r for r in self.listed if r not in self.wanted)


def key_states(fleet: Fleet) -> list[KeyState]:
    """Every SOPS file of the fleet's secret folders, current or stale."""
    folders = secret_folders(fleet)
    paths = list(_files(fleet.root, folders))
    owned = generated_paths(fleet.root, fleet.name, fleet.output.dir, paths)
    states = []
    for path in paths:
        if path in owned:
            continue
        folder = next(f for f in folders if path.startswith(f.prefix))
        listed = _listed(os.path.join(fleet.root, path))
        if listed is None:
            continue
        wanted = tuple(dict.fromkeys(
            r for name in folder.clusters for r in fleet.secrets.recipients_of(name)))
        stale = set(listed) != set(wanted) and bool(wanted)
        states.append(KeyState(path, folder, listed, wanted, "stale" if stale else "current"))
    return states


def _files(root: str, folders: list[SecretFolder]) -> Iterator[str]:
    seen: set[str] = set()
    for folder in folders:
        top = os.path.join(root, folder.prefix)
        for here, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(here, d)))
            for name in sorted(names):
                full = os.path.join(here, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                if name.endswith(SUFFIXES) and not os.path.islink(full) and rel not in seen:
                    seen.add(rel)
                    yield rel


def _listed(path: str) -> tuple[Recipient, ...] | None:
    """The recipients a file's documents list; None for a file that is not SOPS."""
    try:
        with open(path, encoding="utf-8") as handle:
            parsed = parse_documents(handle.read())
    except (OSError, UnicodeDecodeError):
        return None
    if isinstance(parsed, DocumentError):
        return None
    found: list[Recipient] = []
    metadata = [read_metadata(d.value) for d in parsed if isinstance(d.value, Mapping)]
    for meta in metadata:
        found.extend(meta.recipients if meta is not None else ())
    return tuple(dict.fromkeys(found)) if any(m is not None for m in metadata) else None


def update_all(fleet: Fleet, env: Mapping[str, str] | None = None) -> list[KeyState]:
    """Run `sops updatekeys` on every stale file; `.sops.yaml` must already be current."""
    done = []
    for state in key_states(fleet):
        if state.status != "stale":
            done.append(state)
            continue
        run = update_keys(state.path, fleet.root, env)
        after = _listed(os.path.join(fleet.root, state.path)) or ()
        if run.ok and set(after) == set(state.wanted):
            done.append(KeyState(state.path, state.folder, state.listed, state.wanted,
                                 "updated"))
        else:
            detail = run.stderr.strip().splitlines()[-1:] or ["recipients still differ"]
            done.append(KeyState(state.path, state.folder, state.listed, state.wanted,
                                 "failed", detail[0]))
    return done
