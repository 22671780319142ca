"""Render a fleet in memory: every (component, cluster) pair through its templates."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2

from mcgen.errors import InputError
from mcgen.fleet.model import Fleet
from mcgen.location import Location, Problem
from mcgen.objects import CLUSTER_SCOPED, ObjectRef
from mcgen.render.context import fleet_view
from mcgen.render.memo import RenderMemo
from mcgen.render.pairs import Step, cluster_key, filename, known_keys, prepare
from mcgen.render.provenance import template_line
from mcgen.render.sandbox import make_environment, template_error
from mcgen.yaml.emit import Tail
from mcgen.yaml.manifests import Document, DocumentError, parse_documents

LABEL_CLUSTER = "mcgen.dev/cluster"
LABEL_COMPONENT = "mcgen.dev/component"
LABEL_WAVE = "mcgen.dev/wave"
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
MCGEN_LABELS = (LABEL_MANAGED_BY, LABEL_CLUSTER, LABEL_COMPONENT, LABEL_WAVE)


@dataclass(frozen=True)
class RenderedObject:
    """One Kubernetes object and where it came from."""

    cluster: str
    component: str
    template: str  # repo-relative template file; "" for objects mcgen adds itself
    text: str = field(repr=False)  # the template's whole rendered output
    line: int  # 1-based line of `text` where this object starts
    body: dict[str, object] = field(repr=False)
    ref: ObjectRef
    # The canonical YAML of the keys `body` shares with every object of its document.
    tail: Tail | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class RenderedFleet:
    fleet: Fleet
    objects: tuple[RenderedObject, ...]
    template_sources: Mapping[str, str] = field(repr=False)
    memo: RenderMemo | None = field(default=None, repr=False, compare=False)  # its texts
    cluster_keys: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Clusters not rendered: their files are as the last render left them.
    reused: frozenset[str] = frozenset()

    def template_location(self, obj: RenderedObject, rendered_line: int) -> Location:
        """The template line that produced line `rendered_line` of `obj.text`."""
        source = self.template_sources.get(obj.template)
        if source is None:
            return Location(obj.template or self.fleet.spec_path)
        return Location(obj.template, template_line(source, obj.text, rendered_line), 1)


# Whether a cluster's files may stay as the last render left them, given its key.
Reuse = Callable[[str, str], bool]


def render_fleet(fleet: Fleet, memo: RenderMemo | None = None,
                 reuse: Reuse | None = None) -> RenderedFleet:
    """Render every pair; raises InputError listing every template problem found.

    Each distinct (template, inputs) is rendered once, or found in `memo` (the previous
    run's texts); the memo then holds this run's texts. A cluster whose key `reuse`
    accepts is not rendered at all (`RenderedFleet.reused`).
    """
    memo = RenderMemo() if memo is None else memo
    env = make_environment(os.path.join(fleet.root, "templates"))
    shared = fleet_view(fleet)
    objects: list[RenderedObject] = []
    problems: list[Problem] = []
    sources: dict[str, str] = {}
    keys: dict[str, str] = {}
    reused: set[str] = set()
    known = known_keys(fleet, env, shared, memo) if reuse is not None else {}
    for cluster in fleet.clusters:
        keyed = known.get(cluster)
        if reuse is not None and keyed is not None and reuse(cluster, keyed[0]):
            keys[cluster] = keyed[0]
            for key in keyed[1]:
                memo.keep(key)
            reused.add(cluster)
            continue
        pairs, found = prepare(fleet, env, shared, cluster, sources, memo)
        problems.extend(found)
        keys[cluster] = cluster_key(fleet, cluster, pairs)
        on_cluster: list[RenderedObject] = []
        for component, context, steps in pairs:
            for outcome in _render_pair(fleet, env, component, cluster, context, steps, memo,
                                        sources):
                if isinstance(outcome, Problem):
                    problems.append(outcome)
                else:
                    on_cluster.append(outcome)
        objects.extend(on_cluster)
        objects.extend(_namespaces(fleet, cluster, on_cluster))
    if problems:
        raise InputError(problems)
    return RenderedFleet(fleet, tuple(objects), sources, memo, keys, frozenset(reused))


def _render_pair(
    fleet: Fleet, env: jinja2.Environment, component: str, cluster: str,
    context: dict[str, object], steps: list[Step], memo: RenderMemo, sources: dict[str, str],
) -> Iterator[RenderedObject | Problem]:
    template = fleet.components[component].template
    for step in steps:
        try:
            text = memo.text(step.key, step.compiled, context)
        except InputError as exc:
            yield from exc.problems
            continue
        except Exception as exc:
            yield from template_error(exc, step.shown, filename(env, template, step.name)
                                      ).problems
            continue
        yield from _objects(fleet, component, cluster, step.shown, text, sources[step.shown])


def _objects(
    fleet: Fleet, component: str, cluster: str, shown: str, text: str, source: str
) -> Iterator[RenderedObject | Problem]:
    parsed = _parse(text)
    if isinstance(parsed, DocumentError):
        line = template_line(source, text, parsed.line)
        yield Problem(Location(shown, line, 1),
                      f"rendered YAML is invalid for cluster {cluster!r}: {parsed.message} "
                      f"(rendered line {parsed.line})")
        return
    for doc, tail, reason in parsed:
        body = doc.value
        if reason:
            where = Location(shown, template_line(source, text, doc.line), 1)
            yield Problem(where, f"{reason} (cluster {cluster!r})")
            continue
        assert isinstance(body, dict)
        body = _fresh_top(body)
        _stamp(fleet, body, component, cluster)
        yield RenderedObject(cluster, component, shown, text, doc.line, body,
                             ObjectRef.of(body), tail)


@lru_cache(maxsize=4096)
def _parse(text: str) -> list[tuple[Document, Tail, str]] | DocumentError:
    """Parsed and judged once per distinct text: replicas often render identical
    documents. Each document comes with its shared Tail and why it is no object ("")."""
    parsed = parse_documents(text)
    if isinstance(parsed, DocumentError):
        return parsed
    source = hashlib.sha256(text.encode()).hexdigest()
    return [(doc, Tail(doc.value if isinstance(doc.value, dict) else {}, f"{source}:{doc.line}"),
             _not_an_object(doc.value)) for doc in parsed]


def _fresh_top(body: dict[str, object]) -> dict[str, object]:
    """A copy of the parts `_stamp` changes; the rest stays shared and is never mutated."""
    copy = dict(body)
    meta = body.get("metadata")
    if isinstance(meta, dict):
        copy["metadata"] = dict(meta)
    return copy


def _not_an_object(body: object) -> str:
    if not isinstance(body, dict):
        kind = type(body).__name__
        return f"a rendered document must be a mapping (a Kubernetes object), not {kind}"
    for key in ("apiVersion", "kind"):
        if not isinstance(body.get(key), str) or not body[key]:
            return f"rendered object has no {key}"
    meta = body.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta["name"]:
        return f"rendered {body['kind']} has no metadata.name"
    return ""


def _stamp(fleet: Fleet, body: dict[str, object], component: str, cluster: str) -> None:
    """Give the object its namespace and mcgen's labels."""
    meta = body["metadata"]
    assert isinstance(meta, dict)
    if body["kind"] not in CLUSTER_SCOPED and not meta.get("namespace"):
        meta["namespace"] = fleet.components[component].namespace
    labels = meta.get("labels")
    labels = dict(labels) if isinstance(labels, dict) else {}
    labels.update(mcgen_labels(fleet, component, cluster))
    meta["labels"] = labels


def mcgen_labels(fleet: Fleet, component: str, cluster: str) -> dict[str, str]:
    return {
        LABEL_MANAGED_BY: "mcgen",
        LABEL_CLUSTER: cluster,
        LABEL_COMPONENT: component,
        LABEL_WAVE: str(fleet.clusters[cluster].wave),
    }


def _namespaces(fleet: Fleet, cluster: str, on_cluster: list[RenderedObject]
                ) -> list[RenderedObject]:
    """A Namespace for each component namespace on `cluster` that no template declares."""
    declared = {o.ref.name for o in on_cluster if o.ref.kind == "Namespace"}
    added: list[RenderedObject] = []
    for comp in fleet.components_on(cluster):
        if comp.namespace in declared:
            continue
        declared.add(comp.namespace)
        body: dict[str, object] = {
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": comp.namespace,
                         "labels": mcgen_labels(fleet, comp.name, cluster)},
        }
        added.append(RenderedObject(cluster, comp.name, "", "", 1, body, ObjectRef.of(body)))
    return added
