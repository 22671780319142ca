"""Where the fleet repository is, and which fleet specs it holds (FLEET-SPEC §2, §11).

Every command finds the repository from any folder below it, as git finds `.git`: the
nearest folder at or above the current one that holds `fleets/`. Inside git the search
stops at the work tree's top, so a fleet repository is never taken from a folder above
the git repository the user stands in. Paths that mcgen prints are relative to that root,
wherever the command was started, so that a command gives the same output from anywhere.
"""

from __future__ import annotations

import os

from mcgen.errors import UsageError


def repo_root_of(spec_path: str) -> str:
    """The fleet repository a spec (a file, or a folder of fragments) belongs to: the
    parent of its `fleets/` folder."""
    folder = os.path.dirname(os.path.abspath(spec_path))
    return os.path.dirname(folder) if os.path.basename(folder) == "fleets" else folder


FLEETS = "fleets"
SPEC_SUFFIXES = (".yaml", ".yml")


def find_root(start: str) -> str:
    """The fleet repository holding `start` (see `locate_root`); a UsageError saying
    where mcgen looked when there is none."""
    found = locate_root(start)
    if found is None:
        raise UsageError(_not_found(start, _search_end(start)))
    return found


def locate_root(start: str) -> str | None:
    """The nearest folder at or above `start` with a `fleets/` folder, not above the top
    of the git work tree `start` lies in; None when there is none."""
    here = os.path.abspath(start)
    while not os.path.isdir(os.path.join(here, FLEETS)):
        parent = os.path.dirname(here)
        if os.path.exists(os.path.join(here, ".git")) or parent == here:
            return None
        here = parent
    return here


def _search_end(start: str) -> str:
    here = os.path.abspath(start)
    while not os.path.exists(os.path.join(here, ".git")) and os.path.dirname(here) != here:
        here = os.path.dirname(here)
    return here


def _not_found(start: str, stop: str) -> str:
    where = os.path.abspath(start)
    if os.path.exists(os.path.join(stop, ".git")):
        return (f"no fleet repository: no {FLEETS}/ folder in {where} or above it up to the "
                f"top of its git work tree {stop}; `mcgen init {stop}` scaffolds one there")
    return (f"no fleet repository: no {FLEETS}/ folder in {where} or any folder above it; "
            "run `mcgen init` in the repository's top folder to scaffold one")


def is_fleet_folder(path: str) -> bool:
    """A folder of fleet fragments: `fleets/<fleet>/` holding `*.yaml` files."""
    return os.path.isdir(path) and any(
        name.endswith(SPEC_SUFFIXES) and not name.startswith(".") for name in os.listdir(path))


def fleet_specs(root: str) -> list[str]:
    """Every fleet of the repository: `fleets/<fleet>.yaml` files and `fleets/<fleet>/`
    folders of fragments, by name."""
    folder = os.path.join(root, FLEETS)
    found = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith("."):
            continue
        if (name.endswith(SPEC_SUFFIXES) and os.path.isfile(path)) or is_fleet_folder(path):
            found.append(path)
    if not found:
        raise UsageError(f"no fleet spec in {os.path.join(root, FLEETS)}/ (a fleets/<fleet>.yaml "
                         "or a fleets/<fleet>/ folder of fragments); run `mcgen init` to "
                         "scaffold one")
    return found


def named_specs(paths: tuple[str, ...], cwd: str) -> list[str]:
    """The fleet specs named on the command line (relative to `cwd`), as absolute paths."""
    specs = [os.path.abspath(os.path.join(cwd, path)) for path in paths]
    missing = [path for path, spec in zip(paths, specs, strict=True)
               if not (os.path.isfile(spec) or is_fleet_folder(spec))]
    if missing:
        raise UsageError(f"no such fleet spec: {', '.join(missing)} (a fleet file or a folder "
                         "of fragments)")
    return specs
