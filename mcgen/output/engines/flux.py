"""Flux: `<cluster>/flux-system/` holds one Flux Kustomization per component.

The cluster's folder is what `flux bootstrap --path=<dir>/<cluster>` points at; each
component's Kustomization applies its folder, after the components it depends on on the
same cluster (`dependsOn`), and waits for it to be ready; a component holding SOPS
documents is decrypted (`spec.decryption`, docs/secrets.md).

With `spec.rollout.flux.waveRefs`, the Kustomizations read their folders from a
GitRepository `mcgen-wave-<n>` that follows the branch `mcgen/wave-<n>` (written beside
bootstrap's `flux-system` GitRepository), so what a cluster applies changes only when
`mcgen promote` moves its wave's branch.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcgen.output.emit import generated_by
from mcgen.render.stamp import LABEL_MANAGED_BY, LABEL_WAVE, mcgen_labels

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet
    from mcgen.output.layout import TreeBuilder
    from mcgen.render.engine import RenderedFleet, RenderedObject

NAME = "flux"
NEEDS_REPO_URL = True
NEEDS_API_SERVER = False
FLUX_SYSTEM = "flux-system"
BOOTSTRAP_FILES = ("gotk-components.yaml", "gotk-sync.yaml")  # what `flux bootstrap` writes


def bootstrapped(fleet: Fleet, cluster: str) -> bool:
    """Whether `cluster`'s flux-system kustomization lists the bootstrap's files: the
    cluster's own `includeBootstrap`, else `spec.output.flux.includeBootstrap` (clusters
    are bootstrapped one by one, so a new one says `false` until it is)."""
    own = fleet.clusters[cluster].include_bootstrap
    return fleet.output.flux.include_bootstrap if own is None else own


def cluster_files(tree: TreeBuilder, top: str, cluster: str, components: list[str]) -> None:
    """`flux-system/` with one Flux Kustomization per component, ordered by dependsOn."""
    fleet = tree.fleet
    folder = posixpath.join(top, FLUX_SYSTEM)
    files = []
    if fleet.output.flux.wave_refs:
        wave = fleet.clusters[cluster].wave
        name = f"{wave_source(wave)}.gitrepository.yaml"  # never a component's file name
        files.append(name)
        tree.add(posixpath.join(folder, name), generated_by([fleet.spec_path]),
                 wave_repository(fleet, wave))
    for component in components:
        name = f"{component}.yaml"
        files.append(name)
        body = flux_kustomization(fleet, cluster, component, components)
        spec = body["spec"]
        if posixpath.join(top, component) in tree.encrypted and isinstance(spec, dict):
            spec["decryption"] = decryption(fleet)
        tree.add(posixpath.join(folder, name), generated_by([fleet.spec_path]), body)
    if bootstrapped(fleet, cluster):
        # Written by `flux bootstrap`; listed so Flux keeps managing itself. mcgen never
        # writes or removes these two files.
        files = [*BOOTSTRAP_FILES, *files]
    tree.kustomization(folder, files, [fleet.spec_path])
    tree.kustomization(top, [FLUX_SYSTEM], [fleet.spec_path])


def staging_hint(fleet: Fleet) -> str | None:
    if fleet.output.flux.wave_refs:
        return None
    return ("set spec.rollout.flux.waveRefs: true and move the waves with `mcgen promote`")


def decryption(fleet: Fleet) -> dict[str, object]:
    """`spec.decryption` of a component holding SOPS documents: with the keys of
    `output.flux.decryption.secretRef`, or (without one) whatever KMS access the
    kustomize-controller's own identity has."""
    secret = fleet.output.flux.decryption_secret
    return {"provider": "sops", **({"secretRef": {"name": secret}} if secret else {})}


def fleet_files(tree: TreeBuilder, rendered: RenderedFleet) -> None:
    """Nothing beside the clusters: each cluster's Flux reads its own folder."""


def fleet_folders(fleet: Fleet) -> list[str]:
    return []


def bodies(fleet: Fleet, objects: Sequence[RenderedObject]) -> list[dict[str, object]]:
    return [obj.body for obj in objects]


def flux_kustomization(
    fleet: Fleet, cluster: str, component: str, on_cluster: list[str]
) -> dict[str, object]:
    comp = fleet.components[component]
    spec: dict[str, object] = {
        "interval": fleet.output.flux.interval,
        "path": "./" + posixpath.join(fleet.output.dir.rstrip("/"), cluster, component),
        "prune": True,
        "wait": True,
        "timeout": "5m",
        "sourceRef": {"kind": "GitRepository", "name": _source(fleet, cluster)},
    }
    local = [d.component for d in comp.depends_on if d.component in on_cluster]
    if local:
        spec["dependsOn"] = [{"name": name} for name in sorted(set(local))]
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {
            "name": component,
            "namespace": fleet.output.flux.namespace,
            "labels": mcgen_labels(fleet, component, cluster),
        },
        "spec": spec,
    }


def wave_source(wave: int) -> str:
    """The GitRepository a wave's clusters read with wave refs."""
    return f"mcgen-wave-{wave}"


def _source(fleet: Fleet, cluster: str) -> str:
    if fleet.output.flux.wave_refs:
        return wave_source(fleet.clusters[cluster].wave)
    return FLUX_SYSTEM


def wave_repository(fleet: Fleet, wave: int) -> dict[str, object]:
    """A GitRepository on the branch `mcgen/wave-<n>` (moved by `mcgen promote`)."""
    spec: dict[str, object] = {
        "interval": fleet.output.flux.interval,
        "url": fleet.output.repo_url,
        "ref": {"branch": f"mcgen/wave-{wave}"},
    }
    if fleet.output.flux.secret_ref:
        spec["secretRef"] = {"name": fleet.output.flux.secret_ref}
    return {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "GitRepository",
        "metadata": {
            "name": wave_source(wave),
            "namespace": fleet.output.flux.namespace,
            "labels": {LABEL_MANAGED_BY: "mcgen", LABEL_WAVE: str(wave)},
        },
        "spec": spec,
    }
