"""`spec.access`: where each subject may hold access, who is the platform, what is
sensitive (FLEET-SPEC §12). Parsed here, checked here; the access rules read it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mcgen.access.subjects import Subject, listed, parse_subject
from mcgen.location import Problem

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet

SUBJECT_HINT = "write User:<name>, Group:<name> or ServiceAccount:<namespace>:<name>"


@dataclass(frozen=True)
class SubjectScope:
    """Where one subject may hold access: these zones and these clusters."""

    zones: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccessSpec:
    subjects: Mapping[str, SubjectScope] = field(default_factory=dict)
    platform: tuple[str, ...] = ()
    # None: every data class with a residency is sensitive.
    sensitive_data_classes: tuple[str, ...] | None = None

    def scope_of(self, subject: Subject) -> tuple[str, SubjectScope] | None:
        """The `subjects` entry naming `subject` (its key, its scope), if any."""
        for key, scope in self.subjects.items():
            if listed(subject, (key,)):
                return key, scope
        return None

    def is_platform(self, subject: Subject) -> bool:
        return listed(subject, self.platform)


def access_spec(raw: Mapping[str, object]) -> AccessSpec:
    """`spec.access` of a schema-valid spec."""
    subjects = raw.get("subjects")
    sensitive = raw.get("sensitiveDataClasses")
    return AccessSpec(
        {str(k): SubjectScope(_names(v, "zones"), _names(v, "clusters"))
         for k, v in subjects.items()} if isinstance(subjects, Mapping) else {},
        _strings(raw.get("platform")),
        tuple(str(s) for s in sensitive) if isinstance(sensitive, list) else None,
    )


def _names(raw: object, key: str) -> tuple[str, ...]:
    return _strings(raw.get(key) if isinstance(raw, Mapping) else None)


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def access_problems(fleet: Fleet) -> Iterator[Problem]:
    """Subjects that do not parse, zones, clusters and data classes that do not exist."""
    spec = fleet.access
    for key, scope in spec.subjects.items():
        at = ("spec", "access", "subjects", key)
        if parse_subject(key) is None:
            yield Problem(fleet.where(*at), f"spec.access.subjects: {key!r} is not a "
                                            f"subject; {SUBJECT_HINT}")
        for what, names, known in (("zones", scope.zones, fleet.zones),
                                   ("clusters", scope.clusters, fleet.clusters)):
            for index, name in enumerate(names):
                if name not in known:
                    yield Problem(fleet.where(*at, what, index),
                                  f"spec.access.subjects[{key!r}]: unknown {what[:-1]} {name!r}")
    for index, entry in enumerate(spec.platform):
        if parse_subject(entry) is None:
            yield Problem(fleet.where("spec", "access", "platform", index),
                          f"spec.access.platform: {entry!r} is not a subject; {SUBJECT_HINT}")
    for index, name in enumerate(spec.sensitive_data_classes or ()):
        if name not in fleet.data_classes:
            yield Problem(fleet.where("spec", "access", "sensitiveDataClasses", index),
                          f"spec.access.sensitiveDataClasses: unknown data class {name!r}")


def sensitive_classes(fleet: Fleet) -> frozenset[str]:
    """The data classes whose namespaces hold sensitive data."""
    chosen = fleet.access.sensitive_data_classes
    if chosen is None:
        return frozenset(n for n, d in fleet.data_classes.items() if d.residency)
    return frozenset(chosen)


def sensitive_namespaces(fleet: Fleet, cluster: str) -> dict[str, str]:
    """The namespaces on `cluster` of components holding sensitive data: namespace ->
    data class."""
    classes = sensitive_classes(fleet)
    return {c.namespace: c.data_class for c in fleet.components_on(cluster)
            if c.data_class in classes and c.data_class is not None}
