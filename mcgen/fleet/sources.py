"""What a component renders from (FLEET-SPEC section 8), as the fleet spec says it."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from mcgen.location import Problem

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet

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
    skip_tests: bool = False  # charts: leave test hooks out (`helm template --skip-tests`)

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
                              None if release is None else str(release),
                              bool(value.get("skipTests", False)))
    raise ValueError("a schema-valid component names a source")


def is_source_choice(one_of: object) -> bool:
    """Whether a schema's `oneOf` is the component's choice of source."""
    return isinstance(one_of, list) and [o.get("required") for o in one_of if isinstance(
        o, dict)] == [[kind] for kind in SOURCE_FIELDS]


def source_choice_message(component: Mapping[str, object]) -> str:
    named = [kind for kind in SOURCE_FIELDS if kind in component]
    every = ", ".join(f"`{kind}:`" for kind in SOURCE_FIELDS)
    if not named:
        return f"a component names what it renders from: one of {every}"
    return (f"a component names exactly one source, this one names {len(named)} "
            f"({', '.join(named)}): keep one")


def path_problem(path: str) -> str:
    """Why `path` cannot name a place in the repository ("" when it can)."""
    if not path or path.startswith("/") or "\\" in path or "\0" in path:
        return "must be a relative path inside the repository, with `/` between folders"
    if posixpath.normpath(path) != path.rstrip("/") or ".." in path.split("/"):
        return "must not climb out of its folder (`..`) or hold `.` or `//` steps"
    return ""


def source_problems(fleet: Fleet) -> Iterator[Problem]:
    """Source paths that could never name a place in the repository."""
    for component in fleet.components.values():
        spec = component.source
        if spec.kind == "template":
            continue
        paths: list[tuple[str, tuple[str, ...]]] = [
            (spec.path, (spec.kind, "path") if spec.kind == "chart" else (spec.kind,))]
        if spec.values is not None:
            paths.append((spec.values, (spec.kind, "values")))
        for path, at in paths:
            reason = path_problem(path.replace(CLUSTER_PLACEHOLDER, "x"))
            if reason:
                yield Problem(fleet.where_component(component.name, *at),
                              f"component {component.name!r}: {path!r} {reason}")
