"""A source's path on one cluster: `{cluster}` replaced, and never outside the repository."""

from __future__ import annotations

import os

from mcgen.fleet.model import Component, Fleet
from mcgen.fleet.sources import path_problem
from mcgen.location import Problem


def source_folder(fleet: Fleet, component: Component, cluster: str) -> str | Problem | None:
    """The repo-relative folder `component` reads on `cluster`; a Problem at the
    component's source line when it is unsafe or missing; None when it is missing and
    the component says `optional: true` (it then renders nothing there)."""
    spec = component.source
    path = spec.path_for(cluster).rstrip("/")
    where = fleet.where_component(component.name, spec.kind)
    shown = f"component {component.name!r}: `{spec.kind}: {spec.path}`"
    if spec.per_cluster:
        shown += f" (on cluster {cluster!r}: {path})"
    reason = path_problem(path)
    if reason:
        return Problem(where, f"{shown}: {reason}")
    full = os.path.join(fleet.root, path)
    real_root = os.path.realpath(fleet.root)
    if not os.path.realpath(full).startswith(real_root + os.sep):
        return Problem(where, f"{shown}: resolves outside the repository (a symlink)")
    if not os.path.isdir(full):
        if spec.optional:
            return None
        return Problem(where, f"{shown}: no such folder {path + '/'}"
                       + ("; add `optional: true` to render nothing where it is missing"
                          if spec.per_cluster else ""))
    return path
