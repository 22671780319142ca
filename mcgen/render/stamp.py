"""What mcgen adds to a rendered object (unless its source is verbatim): its namespace
and mcgen's labels, and a Namespace for a component namespace no object declares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcgen.fleet.model import Fleet
from mcgen.objects import CLUSTER_SCOPED
from mcgen.sources.registry import source_of

if TYPE_CHECKING:
    from mcgen.render.engine import RenderedObject

LABEL_CLUSTER = "mcgen.dev/cluster"
LABEL_COMPONENT = "mcgen.dev/component"
LABEL_WAVE = "mcgen.dev/wave"
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
MCGEN_LABELS = (LABEL_MANAGED_BY, LABEL_CLUSTER, LABEL_COMPONENT, LABEL_WAVE)


def fresh_top(body: dict[str, object]) -> dict[str, object]:
    """A copy of the parts `stamp` changes; the rest stays shared and is never mutated."""
    copy = dict(body)
    meta = body.get("metadata")
    if isinstance(meta, dict):
        copy["metadata"] = dict(meta)
    return copy


def stamp(fleet: Fleet, body: dict[str, object], component: str, cluster: str) -> None:
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


# Namespaces every cluster has, or that Flux's bootstrap owns: declaring one would put it
# under a component's pruning (removing the component would delete flux-system).
NEVER_DECLARED = frozenset({"default", "kube-system", "kube-public", "kube-node-lease",
                            "flux-system"})


def namespaces(fleet: Fleet, cluster: str, on_cluster: Sequence[RenderedObject]
               ) -> list[tuple[str, dict[str, object]]]:
    """A Namespace for each component namespace on `cluster` that holds one of the
    component's objects and that no object declares, with the component it is added
    for. A component of cluster-scoped objects only gets none, nor does a verbatim
    component (its objects are not put in it), nor a namespace in `NEVER_DECLARED` or
    the one Flux runs in."""
    declared = {o.ref.name for o in on_cluster if o.ref.kind == "Namespace"}
    declared |= NEVER_DECLARED | {fleet.output.flux.namespace}
    used = {(o.component, o.ref.namespace) for o in on_cluster if o.ref.namespace}
    added: list[tuple[str, dict[str, object]]] = []
    for comp in fleet.components_on(cluster):
        if (comp.namespace in declared or source_of(comp).verbatim
                or (comp.name, comp.namespace) not in used):
            continue
        declared.add(comp.namespace)
        added.append((comp.name, {
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": comp.namespace,
                         "labels": mcgen_labels(fleet, comp.name, cluster)},
        }))
    return added
