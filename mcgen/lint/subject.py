"""What the rules look at: objects with their provenance, and how to point into them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.location import Location
from mcgen.objects import ObjectRef
from mcgen.output.layout import OutputFile
from mcgen.render.engine import RenderedFleet, RenderedObject
from mcgen.yaml.nodes import Node, document_at, walk
from mcgen.yaml.source import PathKey

if TYPE_CHECKING:
    from mcgen.changes import ChangeSet
    from mcgen.lint.rule import Named

DEFAULT_KUBERNETES_VERSION = "1.31"


@dataclass(frozen=True)
class LintObject:
    """One object to lint: from a rendered fleet (cluster set) or a plain manifest file."""

    body: dict[str, object] = field(repr=False)
    ref: ObjectRef
    path: str  # the file it is (or would be) written to, repo-relative
    # That file's text, or the generated file that emits it on first use: most objects
    # of a large fleet have no finding, and their files need never be written out.
    source: str | OutputFile = field(repr=False)
    line: int  # 1-based line where the object starts in `text`
    kubernetes_version: str
    cluster: str | None = None
    component: str | None = None
    rendered: RenderedObject | None = field(default=None, repr=False)
    # Where the object sits in the document at `line`: () or, for an item of a
    # `kind: List`, ("items", index).
    within: PathKey = ()

    @property
    def text(self) -> str:
        """The text of the file the object is in."""
        return self.source if isinstance(self.source, str) else self.source.text

    @property
    def target(self) -> str:
        """What `spec.lint.ignore` targets match: `<cluster>/<component>`, or the file."""
        if self.cluster and self.component:
            return f"{self.cluster}/{self.component}"
        return self.path

    # Kept once asked: every rule asks them of every object (the body is never changed).
    @cached_property
    def metadata(self) -> Mapping[str, object]:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @cached_property
    def labels(self) -> Mapping[str, object]:
        labels = self.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}

    @cached_property
    def annotations(self) -> Mapping[str, object]:
        found = self.metadata.get("annotations")
        return found if isinstance(found, dict) else {}


# Composed documents a subject keeps for locating findings: a rule's findings on one
# object reuse its document, and a shard locating every version it runs (rollout-order's
# facts) must not hold a node tree per object of a large fleet.
NODES_KEPT = 512


@dataclass(frozen=True)
class Subject:
    """Everything one lint run sees. Fleet-wide rules read `fleet` and `rendered`."""

    objects: tuple[LintObject, ...]
    fleet: Fleet | None = None
    rendered: RenderedFleet | None = None
    tree: Mapping[str, OutputFile] | None = field(default=None, repr=False)
    # The rendered change of a pull request; only `mcgen ci` has one (blast radius).
    changes: ChangeSet | None = field(default=None, repr=False)
    today: datetime.date = field(default_factory=datetime.date.today)
    # When the check runs (freeze windows, soak); a fixed time in tests.
    now: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))
    extra_crds: tuple[str, ...] = ()
    _nodes: dict[tuple[str, int], Node | None] = field(
        default_factory=dict, repr=False, compare=False)
    # With --shard: this shard's clusters, and whether it owns files outside cluster folders.
    shard: tuple[frozenset[str], bool] | None = field(default=None, repr=False)
    # Work rules share within one run (e.g. the schema validator with its CRDs).
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    # An incremental lint's clusters left out: their findings come from the last lint
    # (`mcgen.lint.incremental`); only the clusters of `objects` are checked now.
    remembered: frozenset[str] = field(default=frozenset(), repr=False)

    def in_shard(self, path: str) -> bool:
        """Whether a tree file belongs to this run (always, unless sharded)."""
        if self.shard is None or self.fleet is None:
            return True
        clusters, first = self.shard
        prefix = self.fleet.output.dir.rstrip("/") + "/"
        rest = path[len(prefix):] if path.startswith(prefix) else ""
        folder = rest.split("/", 1)[0] if "/" in rest else ""
        # The first shard owns all but the fleet's clusters' folders: the files beside
        # them, and what is left of a cluster no longer in the fleet.
        return folder in clusters if folder in self.fleet.clusters else first

    @cached_property
    def by_cluster(self) -> dict[str | None, list[LintObject]]:
        grouped: dict[str | None, list[LintObject]] = {}
        for obj in self.objects:
            grouped.setdefault(obj.cluster, []).append(obj)
        return grouped

    def locate(self, obj: LintObject, at: PathKey = ()) -> Location:
        """The `path:line:col` of `at` (a JSON path) inside `obj`'s file."""
        line, col = walk(self._node(obj.text, obj.line), (*obj.within, *at))
        return Location(obj.path, line if line else obj.line, col if line else 1)

    def template_location(self, obj: LintObject, at: PathKey = ()) -> Location | None:
        """The source line (a template's, a kustomize file's, a manifest's) that produced
        `at`, for a rendered object."""
        source = obj.rendered
        if source is None or source.piece is None or self.rendered is None:
            return None
        line, _ = walk(self._node(source.text, source.line), at)
        return self.rendered.source_location(source, line or source.line)

    def _node(self, text: str, line: int) -> Node | None:
        key = (text, line)
        if key not in self._nodes:
            if len(self._nodes) >= NODES_KEPT:  # the oldest: rules go object by object
                del self._nodes[next(iter(self._nodes))]
            self._nodes[key] = document_at(text, line)
        return self._nodes[key]

    def finding(
        self, rule: Named, obj: LintObject, message: str, at: PathKey = (),
        severity: Severity | None = None, related: tuple[tuple[str, Location], ...] = (),
    ) -> Finding:
        """A finding on `obj` at JSON path `at`, naming the source line (labelled by its
        kind: template, kustomize, manifests) and the fleet line behind it."""
        places = list(related)
        template = self.template_location(obj, at)
        if template is not None and obj.rendered is not None and obj.rendered.piece:
            places.insert(0, (obj.rendered.piece.source, template))
        if self.fleet is not None and obj.component and obj.component in self.fleet.components:
            places.insert(1 if template else 0,
                          ("fleet", self.fleet.where_component(obj.component)))
        return Finding(rule.ID, severity or rule.SEVERITY, message, self.locate(obj, at),
                       tuple(places), obj.target)

    def fleet_finding(
        self, rule: Named, message: str, where: Location, target: str,
        severity: Severity | None = None, related: tuple[tuple[str, Location], ...] = (),
    ) -> Finding:
        """A finding on the fleet spec itself (placement, dependency, firewall...)."""
        return Finding(rule.ID, severity or rule.SEVERITY, message, where, related, target)


def pod_spec(body: Mapping[str, object]) -> tuple[PathKey, dict[str, object]] | None:
    """The pod spec of a Pod or a workload, with its JSON path."""
    if body.get("kind") == "Pod":
        spec = body.get("spec")
        return (("spec",), spec) if isinstance(spec, dict) else None
    for at in (("spec", "template", "spec"), ("spec", "jobTemplate", "spec", "template", "spec")):
        node: object = body
        for part in at:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            return at, node
    return None


def iter_containers(body: Mapping[str, object]) -> Iterator[tuple[PathKey, dict[str, object]]]:
    """Every container (init, regular, ephemeral) of a Pod or workload, with its JSON path."""
    found = pod_spec(body)
    if found is None:
        return
    at, pod = found
    for key in ("initContainers", "containers", "ephemeralContainers"):
        items = pod.get(key)
        for index, container in enumerate(items if isinstance(items, list) else []):
            if isinstance(container, dict):
                yield (*at, key, index), container
