"""Render a fleet in memory: every (component, cluster) pair through its source.

Each component names a source (`mcgen.sources`); the source turns a pair into pieces of
rendered text, and from that text on everything here is the same for every source:
parsed into documents, given mcgen's labels and namespace (unless the source is
verbatim), and each object keeps the piece it came from, to point findings back at it.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import NamedTuple, Protocol

from mcgen.errors import InputError
from mcgen.fleet.model import Fleet
from mcgen.location import Location, Problem
from mcgen.objects import ObjectRef
from mcgen.render.memo import RenderMemo
from mcgen.render.pairs import (
    ClusterKey,
    Pair,
    Placed,
    Runs,
    all_facts,
    cluster_key,
    known_keys,
    placed,
    prepare,
    recorded_pairs,
)
from mcgen.render.stamp import fresh_top, namespaces, stamp
from mcgen.sources.base import Piece, SourceRun
from mcgen.sources.registry import SOURCES, source_of, start_runs, unsupported
from mcgen.yaml.emit import Tail
from mcgen.yaml.manifests import Document, DocumentError, parse_documents


@dataclass(frozen=True)
class RenderedObject:
    """One Kubernetes object and where it came from."""

    cluster: str
    component: str
    piece: Piece | None  # what its source rendered it from; None for objects mcgen adds
    text: str = field(repr=False)  # the piece's whole rendered output
    line: int  # 1-based line of `text` where this object starts
    body: dict[str, object] = field(repr=False)
    ref: ObjectRef
    # The canonical YAML of the keys `body` shares with every object of its document.
    tail: Tail | None = field(default=None, repr=False, compare=False)
    verbatim: bool = False  # written as `text`, byte for byte (`manifests:`)

    @property
    def origin(self) -> str:
        """The repo-relative source file it came from ("" for objects mcgen adds)."""
        return self.piece.origin if self.piece is not None else ""


@dataclass(frozen=True)
class RenderedFleet:
    fleet: Fleet
    objects: tuple[RenderedObject, ...]
    runs: Runs = field(repr=False)
    memo: RenderMemo | None = field(default=None, repr=False, compare=False)  # its texts
    cluster_keys: Mapping[str, ClusterKey] = field(default_factory=dict, repr=False)
    # Clusters not rendered: their files are as the last render left them.
    reused: frozenset[str] = frozenset()
    # Clusters of other shards (`render --shard`): neither rendered nor written.
    outside: frozenset[str] = frozenset()

    def source_location(self, obj: RenderedObject, rendered_line: int) -> Location:
        """The source file and line that produced line `rendered_line` of `obj.text`."""
        if obj.piece is None:
            return Location(self.fleet.spec_path)
        return self.runs[obj.piece.source].locate(obj.piece, obj.text, rendered_line)


class Recall(Protocol):
    """What a render asks of what mcgen remembers (`mcgen.output.caches`)."""

    @property
    def texts(self) -> RenderMemo:
        """The texts of the previous run, which collects this run's."""
        ...

    @property
    def keeps_clusters(self) -> bool:
        """Whether any cluster may be kept: if not, no cluster's key is worth making
        before it renders."""
        ...

    @property
    def inputs_print(self) -> str:
        """The content digest of every file the fleet's sources read, when the run
        recorded keys may be reused by (`mcgen.render.pairs.shared_facts`); else ""."""
        ...

    @property
    def recorded_keys(self) -> Mapping[str, ClusterKey]:
        """Each cluster's key as the last render recorded it, with its facts."""
        ...

    def may_keep(self, keys: Mapping[str, str]) -> frozenset[str]:
        """Of the clusters (with the key each is made from now), those whose files may
        stay as they are on disk."""
        ...


@dataclass
class TextsOnly:
    """A Recall of texts alone: no cluster is kept (a render to lint, or to compare)."""

    texts: RenderMemo = field(default_factory=RenderMemo)
    keeps_clusters: bool = False
    inputs_print: str = ""
    recorded_keys: Mapping[str, ClusterKey] = field(default_factory=dict)

    def may_keep(self, keys: Mapping[str, str]) -> frozenset[str]:
        return frozenset()


def render_fleet(fleet: Fleet, recall: Recall | None = None,
                 only: frozenset[str] | None = None,
                 made: Mapping[str, ClusterKey] | None = None) -> RenderedFleet:
    """Render every pair (of the clusters `only`, when given: a shard's); raises
    InputError listing every problem found.

    Each distinct piece is rendered once, or found in `recall`'s texts (the previous
    run's); they then hold this run's texts. A cluster `recall` may keep is not rendered
    at all (`RenderedFleet.reused`). `made`: `known_keys` of the fleet, when the caller
    made them already (an incremental lint chooses its clusters by them).
    """
    parts = FleetRender(fleet, recall, made, keep=only is None)
    todo = [c for c in fleet.clusters if c not in parts.reused and (only is None or c in only)]
    return parts.part(todo).raised()


class Part(NamedTuple):
    """One part of a fleet's render: its clusters rendered, and what was wrong in them."""

    rendered: RenderedFleet
    problems: list[Problem]

    def raised(self) -> RenderedFleet:
        """The part, or InputError listing its problems."""
        if self.problems:
            raise InputError(self.problems)
        return self.rendered


class Mark(NamedTuple):
    """How far a render's memo had gone: its texts kept and pieces rendered."""

    texts: int
    renders: int


class Learnt(NamedTuple):
    """What a part of a render learnt: its clusters' keys, the texts it kept, and how
    many pieces it rendered."""

    keys: dict[str, ClusterKey]
    texts: dict[str, str]
    renders: int


class FleetRender:
    """A fleet's render, a part (some of its clusters) at a time: what `recall` may keep
    is chosen once, for all of them; the sources and the texts are shared by every part.
    A whole render's memory is its largest part's (`mcgen.pipeline` writes a part before
    it renders the next)."""

    def __init__(self, fleet: Fleet, recall: Recall | None,
                 made: Mapping[str, ClusterKey] | None = None, keep: bool = True) -> None:
        self.fleet = fleet
        self.problems = list(unsupported(fleet))
        self.memo = recall.texts if recall is not None else RenderMemo()
        self.runs = start_runs(fleet) if not self.problems else {}
        printed = recall.inputs_print if recall is not None else ""
        self.facts = all_facts(fleet, self.runs, printed) if printed and self.runs else {}
        keep = keep and recall is not None and recall.keeps_clusters and not self.problems
        self.keys = (_kept(fleet, self.runs, recall, self.facts, made, self.memo)
                     if recall is not None and keep else {})
        self.reused = frozenset(self.keys)
        self.recorded = recall.recorded_keys if recall is not None and self.facts else {}
        self._placed: dict[Placed, Placed] = {}  # equal pieces of many clusters: one object

    def part(self, clusters: list[str]) -> Part:
        """`clusters` rendered (none of those kept); the fleet's own problems come with
        every part."""
        if self.problems:
            return Part(self.of((), frozenset(clusters)), list(self.problems))
        problems: list[Problem] = []
        objects: list[RenderedObject] = []
        _warm(self.fleet, self.runs, clusters, self.memo)
        for cluster in clusters:
            objects.extend(self._cluster(cluster, problems))
        return Part(self.of(tuple(objects), frozenset(clusters)), problems)

    def mark(self) -> Mark:
        """Where this render stands: what `learnt` counts from."""
        return Mark(len(self.memo.used), self.memo.renders)

    def learnt(self, since: Mark, clusters: Iterable[str]) -> Learnt:
        """What rendering `clusters` taught this render since `since` (in a forked
        process: what the process it forked from lacks)."""
        texts = dict(itertools.islice(self.memo.used.items(), since.texts, None))
        return Learnt({c: self.keys[c] for c in clusters if c in self.keys}, texts,
                      self.memo.renders - since.renders)

    def learn(self, learnt: Learnt) -> None:
        """Take in what another process's part of this render learnt."""
        self.keys.update(learnt.keys)
        self.memo.used.update(learnt.texts)
        self.memo.renders += learnt.renders

    def of(self, objects: tuple[RenderedObject, ...], clusters: frozenset[str]) -> RenderedFleet:
        """The fleet as far as `clusters` (and those kept) go: the others are `outside`."""
        outside = frozenset(self.fleet.clusters).difference(clusters, self.reused)
        keys = {c: k for c, k in self.keys.items() if c in clusters or c in self.reused}
        return RenderedFleet(self.fleet, objects, self.runs, self.memo, keys, self.reused,
                             outside)

    def _cluster(self, cluster: str, problems: list[Problem]) -> list[RenderedObject]:
        fleet = self.fleet
        pairs = self._as_recorded(cluster)
        if pairs is None:
            pairs, found = prepare(fleet, self.runs, cluster)
            problems.extend(found)
            self.keys[cluster] = ClusterKey(cluster_key(fleet, cluster, pairs),
                                            placed(pairs, self._placed),
                                            self.facts.get(cluster, ""))
        on_cluster: list[RenderedObject] = []
        for pair in pairs:
            for outcome in _render_pair(fleet, self.runs, pair, cluster, self.memo):
                if isinstance(outcome, Problem):
                    problems.append(outcome)
                else:
                    on_cluster.append(outcome)
        return [*on_cluster, *_namespaces(fleet, cluster, on_cluster)]

    def _as_recorded(self, cluster: str) -> list[Pair] | None:
        """The cluster's pairs as recorded, where its facts are the recorded ones and
        every piece's text is known: nothing to prepare (its key is the recorded one)."""
        found = self.recorded.get(cluster)
        facts = self.facts.get(cluster)
        if found is None or not facts or found.facts != facts or not all(
                _recallable(p) and self.memo.has(p.key) for p in found.pieces):
            return None
        self.keys[cluster] = found
        return recorded_pairs(self.fleet, cluster, found)


def _recallable(piece: Placed) -> bool:
    """Whether the recorded piece's source lets it render unprepared (`recallable`)."""
    source = SOURCES.get(piece.source)
    return source is not None and source.recallable


def _kept(fleet: Fleet, runs: Runs, recall: Recall, facts: Mapping[str, str],
          made: Mapping[str, ClusterKey] | None, memo: RenderMemo) -> dict[str, ClusterKey]:
    """The clusters `recall` may keep, with their keys (their pieces' texts stay in the
    memo for the next run)."""
    known = made if made is not None else known_keys(fleet, runs, recall.recorded_keys, facts)
    chosen = recall.may_keep({cluster: found.key for cluster, found in known.items()})
    kept = {cluster: known[cluster] for cluster in chosen}
    for found in kept.values():
        for piece in found.pieces:
            memo.keep(piece.key)
    return kept


def _warm(fleet: Fleet, runs: Runs, clusters: list[str], memo: RenderMemo) -> None:
    """Let each concurrent source make ahead the pieces of `clusters` the memo lacks."""
    for kind, run in runs.items():
        if not SOURCES[kind].concurrent:
            continue
        wanted = [(piece, prepared.context) for cluster in clusters
                  for component in fleet.components_on(cluster) if component.source.kind == kind
                  for prepared in (run.prepare(component, cluster),)
                  for piece in prepared.pieces if not memo.has(piece.key)]
        run.warm(wanted)


def _render_pair(fleet: Fleet, runs: Runs, pair: Pair, cluster: str, memo: RenderMemo
                 ) -> Iterator[RenderedObject | Problem]:
    component = fleet.components[pair.component]
    source = source_of(component)
    run = runs[component.source.kind]
    context = pair.prepared.context
    for piece in pair.prepared.pieces:
        text = memo.text(piece.key, partial(run.render, piece, context), source.memoized)
        if not isinstance(text, str):
            yield from text
            continue
        yield from _objects(fleet, run, piece, cluster, component.name, text, source.verbatim)


def _objects(fleet: Fleet, run: SourceRun, piece: Piece, cluster: str, component: str,
             text: str, verbatim: bool) -> Iterator[RenderedObject | Problem]:
    parsed = _parse(text)
    if isinstance(parsed, DocumentError):
        yield Problem(run.locate(piece, text, parsed.line),
                      f"rendered YAML is invalid: {parsed.message} (rendered line "
                      f"{parsed.line}; {_pair(fleet, component, cluster)})")
        return
    for doc, tail, reason in parsed:
        body = doc.value
        if reason:
            yield Problem(run.locate(piece, text, doc.line),
                          f"{reason} ({_pair(fleet, component, cluster)})")
            continue
        assert isinstance(body, dict)
        if not verbatim:
            body = fresh_top(body)
            stamp(fleet, body, component, cluster)
        yield RenderedObject(cluster, component, piece, text, doc.line, body,
                             ObjectRef.of(body), tail, verbatim)


def _pair(fleet: Fleet, component: str, cluster: str) -> str:
    """Which pair a problem of a rendered text is in (said only when there is one)."""
    where = fleet.where_component(component, fleet.components[component].source.kind)
    return f"component {component!r} on cluster {cluster!r}, {where}"


@lru_cache(maxsize=4096)
def _parse(text: str) -> list[tuple[Document, Tail, str]] | DocumentError:
    """Parsed and judged once per distinct text: replicas often render identical
    documents. Each document comes with its shared Tail and why it is no object ("")."""
    parsed = parse_documents(text.removeprefix("\ufeff"))  # a BOM is no part of a key
    if isinstance(parsed, DocumentError):
        return parsed
    source = hashlib.sha256(text.encode()).hexdigest()
    return [(doc, Tail(doc.value if isinstance(doc.value, dict) else {}, f"{source}:{doc.line}"),
             _not_an_object(doc.value)) for doc in parsed]


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


def _namespaces(fleet: Fleet, cluster: str, on_cluster: list[RenderedObject]
                ) -> list[RenderedObject]:
    """The Namespaces mcgen adds on `cluster` (`mcgen.render.stamp.namespaces`)."""
    return [RenderedObject(cluster, component, None, "", 1, body, ObjectRef.of(body))
            for component, body in namespaces(fleet, cluster, on_cluster)]
