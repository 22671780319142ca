"""What a component renders from (FLEET-SPEC section 8), as the fleet spec says it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

SourceKind = Literal["template", "chart", "kustomize", "manifests"]
SOURCE_FIELDS: tuple[SourceKind, ...] = ("template", "chart", "kustomize", "manifests")
CLUSTER_PLACEHOLDER = "{cluster}"


@dataclass(frozen=True)
class SourceSpec:
    """The one source a component names: its kind, the path (a template name under
    `templates/`, or a repo-relative path that may hold `{cluster}`), and the chart's
    `values:` template and release name (charts only)."""

    kind: SourceKind
    path: str
    optional: bool = False
    values: str | None = None
    release: str | None = None

    def path_for(self, cluster: str) -> str:
        """The path with `{cluster}` replaced by the cluster's name."""
        return self.path.replace(CLUSTER_PLACEHOLDER, cluster)

    @property
    def per_cluster(self) -> bool:
        return CLUSTER_PLACEHOLDER in self.path


def source_spec(raw: Mapping[str, object]) -> SourceSpec:
    """The source of a schema-valid component (which names exactly one)."""
    optional = bool(raw.get("optional", False))
    for kind in SOURCE_FIELDS:
        value = raw.get(kind)
        if isinstance(value, str):
            return SourceSpec(kind, value, optional)
        if isinstance(value, Mapping):
            values, release = value.get("values"), value.get("release")
            return SourceSpec(kind, str(value["path"]), optional,
                              None if values is None else str(values),
                              None if release is None else str(release))
    raise ValueError("a schema-valid component names a source")
