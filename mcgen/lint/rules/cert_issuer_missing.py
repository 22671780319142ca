"""cert-issuer-missing: an Ingress or Certificate asks for an issuer its cluster lacks.

cert-manager issues a certificate only through an issuer on the same cluster: a
ClusterIssuer, or an Issuer in the object's own namespace. Each cluster of a fleet has
its own issuers, so a template that names one reaches clusters that may not have it,
and there the certificate is never issued and TLS fails. Checked on each cluster
against the issuers rendered for it:

- an Ingress or Gateway annotated `cert-manager.io/cluster-issuer: <name>` (a
  ClusterIssuer) or `cert-manager.io/issuer: <name>` (an Issuer in its namespace, or a
  ClusterIssuer with `cert-manager.io/issuer-kind: ClusterIssuer`);
- a Certificate's `spec.issuerRef` (`kind` Issuer by default, or ClusterIssuer).

Issuers of other API groups (`cert-manager.io/issuer-group`, `issuerRef.group`:
external issuers) are not judged.

Example finding:

    clusters/eu-west/shop/ingress-storefront.yaml:10:5: error: Ingress shop/storefront
    on eu-west asks cert-manager for ClusterIssuer 'letsencrypt', which eu-west does not
    have (its ClusterIssuers: none): no certificate will be issued; render the issuer on
    eu-west too, or name one it has [cert-issuer-missing]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import LintObject, Subject
from mcgen.yaml.source import PathKey

ID = "cert-issuer-missing"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]

GROUP = "cert-manager.io"
_ANNOTATED = ("Ingress", "Gateway")
Issuer = tuple[str, str, str]  # kind, namespace ("" for a ClusterIssuer), name


def check(subject: Subject) -> Iterator[Finding]:
    for cluster, objects in subject.by_cluster.items():
        issuers = {(o.ref.kind, o.ref.namespace if o.ref.kind == "Issuer" else "", o.ref.name)
                   for o in objects if o.ref.group == GROUP
                   and o.ref.kind in ("Issuer", "ClusterIssuer")}
        for obj in objects:
            for wanted, at in _asked(obj):
                if wanted not in issuers:
                    yield subject.finding(_RULE, obj, _message(obj, cluster, wanted, issuers), at)


def _asked(obj: LintObject) -> Iterator[tuple[Issuer, PathKey]]:
    """The issuers `obj` asks for, with where it asks."""
    if obj.ref.kind in _ANNOTATED:
        notes = obj.annotations
        if notes.get(f"{GROUP}/issuer-group", GROUP) != GROUP:
            return
        key = f"{GROUP}/cluster-issuer"
        if isinstance(notes.get(key), str):
            yield ("ClusterIssuer", "", str(notes[key])), ("metadata", "annotations", key)
        key = f"{GROUP}/issuer"
        if isinstance(notes.get(key), str):
            kind = str(notes.get(f"{GROUP}/issuer-kind", "Issuer"))
            namespace = obj.ref.namespace if kind == "Issuer" else ""
            yield (kind, namespace, str(notes[key])), ("metadata", "annotations", key)
    elif obj.ref.kind == "Certificate" and obj.ref.group == GROUP:
        spec = obj.body.get("spec")
        ref = spec.get("issuerRef") if isinstance(spec, Mapping) else None
        if isinstance(ref, Mapping) and ref.get("group", GROUP) in (GROUP, "") and \
                isinstance(ref.get("name"), str):
            kind = str(ref.get("kind") or "Issuer")
            namespace = obj.ref.namespace if kind == "Issuer" else ""
            yield (kind, namespace, str(ref["name"])), ("spec", "issuerRef", "name")


def _message(obj: LintObject, cluster: str | None, wanted: Issuer, issuers: set[Issuer]) -> str:
    kind, namespace, name = wanted
    where = f" in namespace {namespace}" if namespace else ""
    place = cluster or "this set of manifests"
    have = sorted(n for k, ns, n in issuers if k == kind and ns == namespace)
    on = f" on {cluster}" if cluster else ""
    return (f"{obj.ref}{on} asks cert-manager for {kind} {name!r}{where}, which {place} does "
            f"not have (its {kind}s{where}: {', '.join(have) or 'none'}): no certificate will "
            f"be issued; render the issuer on {place} too, or name one it has")
