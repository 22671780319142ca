"""Subjects of RBAC bindings, written `User:<name>`, `Group:<name>` or
`ServiceAccount:<namespace>:<name>`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

KINDS = ("User", "Group", "ServiceAccount")
_SA_USER = "system:serviceaccount:"


class Subject(NamedTuple):
    kind: str  # User, Group or ServiceAccount
    name: str
    namespace: str = ""  # service accounts only

    def __str__(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount:{self.namespace}:{self.name}"
        return f"{self.kind}:{self.name}"

    @property
    def system(self) -> bool:
        """Kubernetes' own users and groups (`system:masters`, `system:nodes`...)."""
        return self.kind != "ServiceAccount" and self.name.startswith("system:")

    @property
    def groups(self) -> tuple[Subject, ...]:
        """The groups Kubernetes puts a service account in (users' groups are unknown)."""
        if self.kind != "ServiceAccount":
            return ()
        return (Subject("Group", "system:serviceaccounts"),
                Subject("Group", f"system:serviceaccounts:{self.namespace}"),
                Subject("Group", "system:authenticated"))


def parse_subject(text: str) -> Subject | None:
    """`User:alice`, `Group:acme:devs`, `ServiceAccount:ns:name`; None if malformed."""
    kind, _, rest = text.partition(":")
    if kind not in KINDS or not rest:
        return None
    if kind == "ServiceAccount":
        namespace, _, name = rest.partition(":")
        return Subject(kind, name, namespace) if namespace and name and ":" not in name else None
    return Subject(kind, rest)


def binding_subject(item: Mapping[str, object], binding_namespace: str) -> Subject | None:
    """The subject a binding's `subjects` entry names, as the authorizer matches it.

    A service account without a namespace is the binding's own namespace's (none for a
    ClusterRoleBinding: it then matches nobody); a User named
    `system:serviceaccount:<ns>:<name>` is that service account.
    """
    kind, name = item.get("kind"), item.get("name")
    if not isinstance(kind, str) or not isinstance(name, str) or not name:
        return None
    if kind == "ServiceAccount":
        namespace = item.get("namespace") or binding_namespace
        return Subject(kind, name, namespace) if isinstance(namespace, str) and namespace else None
    if kind == "User" and name.startswith(_SA_USER):
        namespace, _, account = name[len(_SA_USER):].partition(":")
        return Subject("ServiceAccount", account, namespace) if namespace and account else None
    return Subject(kind, name) if kind in KINDS else None


def listed(subject: Subject, entries: Iterable[str]) -> bool:
    """Whether `entries` name `subject`, as `Kind:name`, its bare name, or, for a service
    account, `<ns>/<name>` or `system:serviceaccount:<ns>:<name>`."""
    names = {str(subject), subject.name}
    if subject.kind == "ServiceAccount":
        names = {str(subject), f"{subject.namespace}/{subject.name}",
                 f"{_SA_USER}{subject.namespace}:{subject.name}"}
    return not names.isdisjoint(entries)
