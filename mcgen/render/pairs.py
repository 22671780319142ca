"""Each (component, cluster) pair before it renders: its context and template keys.

A cluster's key digests everything its files are made of; `render_fleet` compares it
with the last render's to skip the clusters a change does not reach.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import jinja2

from mcgen.errors import InputError
from mcgen.fleet.model import Fleet
from mcgen.location import Problem
from mcgen.parallel import map_slices
from mcgen.render.context import build_context
from mcgen.render.memo import RenderMemo, code_fingerprint
from mcgen.render.sandbox import TEMPLATE_SUFFIX, template_error


@lru_cache(maxsize=1024)
def _listing(folder: str, mtime_ns: int) -> tuple[str, ...]:
    return tuple(sorted(
        name for name in os.listdir(folder)
        if name.endswith(TEMPLATE_SUFFIX) and not name.startswith(("_", "."))
        and os.path.isfile(os.path.join(folder, name))
    ))


def template_files(root: str, template: str) -> tuple[str, ...]:
    """A template folder's top-level `*.yaml.j2` files, sorted; `_*` files are partials."""
    folder = os.path.join(root, "templates", template)
    return _listing(folder, os.stat(folder).st_mtime_ns)


def known_keys(fleet: Fleet, env: jinja2.Environment, shared: dict[str, object],
               memo: RenderMemo) -> dict[str, tuple[str, list[str]]]:
    """Each cluster's key and its templates' keys, over all cores (clusters with a
    template problem are left out: they are rendered, so that it is reported)."""

    def keyed(part: Sequence[str]) -> list[tuple[str, list[str]] | None]:
        found: list[tuple[str, list[str]] | None] = []
        sources: dict[str, str] = {}
        for cluster in part:
            pairs, problems = prepare(fleet, env, shared, cluster, sources, memo)
            steps = [step.key for _, _, pair_steps in pairs for step in pair_steps]
            found.append(None if problems else (cluster_key(fleet, cluster, pairs), steps))
        return found

    clusters = list(fleet.clusters)
    return {cluster: result for cluster, result
            in zip(clusters, map_slices(keyed, clusters, CLUSTERS_PER_WORKER), strict=True)
            if result is not None}


CLUSTERS_PER_WORKER = 100


class Step(NamedTuple):
    shown: str  # repo-relative template file
    name: str  # its name inside the template folder
    compiled: jinja2.Template
    key: str  # of its text for the pair's context


Pair = tuple[str, dict[str, object], list[Step]]


def prepare(fleet: Fleet, env: jinja2.Environment, shared: dict[str, object], cluster: str,
             sources: dict[str, str], memo: RenderMemo) -> tuple[list[Pair], list[Problem]]:
    """Each component's context and template keys on `cluster`, and the problems found."""
    pairs: list[Pair] = []
    problems: list[Problem] = []
    for component in fleet.components_on(cluster):
        template = component.template
        context = build_context(fleet, component.name, cluster, shared)
        steps: list[Step] = []
        for name in template_files(fleet.root, template):
            shown = f"templates/{template}/{name}"
            try:
                compiled = env.get_template(f"{template}/{name}")
                source = sources.get(shown)
                if source is None:
                    source = sources[shown] = source_of(compiled)
                steps.append(Step(shown, name, compiled, memo.key(env, shown, source, context)))
            except InputError as exc:
                problems.extend(exc.problems)
            except Exception as exc:
                problems.extend(template_error(exc, shown, filename(env, template, name))
                                .problems)
        pairs.append((component.name, context, steps))
    return pairs, problems


def cluster_key(fleet: Fleet, cluster: str, pairs: list[Pair]) -> str:
    """A digest of everything a cluster's files are made of: mcgen's code, the output
    settings, the cluster, and each component placed on it with its template texts."""
    parts = [code_fingerprint(), fleet.spec_path, repr(fleet.output),
             repr(fleet.clusters[cluster])]
    for component, _, steps in pairs:
        parts.append(repr(fleet.components[component]))
        parts.extend(f"{step.shown}={step.key}" for step in steps)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def source_of(compiled: jinja2.Template) -> str:
    filename = compiled.filename or ""
    with open(filename, encoding="utf-8") as handle:
        return handle.read()


def filename(env: jinja2.Environment, template: str, name: str) -> str:
    loader = env.loader
    root = getattr(loader, "templates_dir", "")
    return os.path.join(root, template, name)
