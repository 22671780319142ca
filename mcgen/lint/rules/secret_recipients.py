"""secret-recipients: an encrypted document placed on a cluster that cannot decrypt it.

Each cluster's recipients are the public keys of `secrets:` on the cluster, its zone and
its groups (FLEET-SPEC section 9). A SOPS document lists, in its `sops:` metadata, the
recipients its data key is encrypted to; the cluster's controller (Flux's
kustomize-controller, or an Argo CD plug-in) can decrypt it only with one of its own keys.
This rule reads that metadata only (mcgen never needs a private key) and reports:

- (error) a document on a cluster none of whose recipients it lists (with key groups: not
  enough groups the cluster holds a key of), or a cluster that declares no recipients;
- (warning) a document whose recipients differ from those of the clusters it is placed
  on: a recipient no such cluster holds any more (a rotated or revoked key can still
  decrypt it) or a cluster's recipient it lacks. `mcgen secrets updatekeys` re-keys every
  such file; `mcgen secrets updatekeys --check` lists them;
- (error) a SOPS document that mcgen re-serialised (rendered through a template or
  chart, so written with mcgen's labels and layout) whose MAC covers the whole document:
  it no longer matches and cannot be decrypted. A `manifests:` component writes the file
  byte for byte; `mac_only_encrypted` documents survive re-serialisation;
- (error) engine flux with age or PGP recipients but no
  `spec.output.flux.decryption.secretRef`: kustomize-controller gets those private keys
  only from that Secret (KMS and Vault keys can come from its workload identity);
- (warning) engine argocd with encrypted documents: mcgen generates no decryption for
  Argo CD (see docs/secrets.md for the KSOPS route).

Example finding:

    clusters/eu-west/accounts-credentials/db.yaml:9:9: error: Secret accounts/db is
    encrypted to age1ql3z..., none of which cluster eu-west holds (its recipients:
    age1x9f...); encrypt it through .sops.yaml (`mcgen secrets config`, then
    `sops updatekeys`) [secret-recipients]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.fleet.model import Fleet
from mcgen.lint.encrypted import Encrypted, encrypted_objects, listing
from mcgen.lint.pending import Counted
from mcgen.lint.subject import Subject
from mcgen.secrets.placement import clusters_for

ID = "secret-recipients"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]
FIX = "encrypt it through .sops.yaml (`mcgen secrets config`, then `mcgen secrets updatekeys`)"


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None:
        return
    found = _placed(subject, fleet)
    for item in found:
        broken = _reserialised(subject, item)
        yield from broken or _decryptable(subject, fleet, item)
    yield from _engine(subject, fleet, found)


def _reserialised(subject: Subject, item: Encrypted) -> list[Finding]:
    """A SOPS document mcgen rewrote (a template's output, with mcgen's labels): unless
    its MAC covers only the encrypted values, it no longer matches, and no key opens it."""
    obj, meta = item
    if obj.rendered is None or obj.rendered.verbatim or meta.mac_only_encrypted:
        return []
    return [subject.finding(
        _RULE, obj, f"{obj.ref} is a SOPS document rendered through its component's "
        "source and written with mcgen's labels and layout: its MAC no longer matches, so "
        "neither sops nor Flux can decrypt it; give the file a `manifests:` component, "
        "which writes it byte for byte", ("sops",))]


def _decryptable(subject: Subject, fleet: Fleet, item: Encrypted) -> Iterator[Finding]:
    obj, meta = item
    assert obj.cluster is not None
    held = fleet.secrets.recipients_of(obj.cluster)
    at = ("sops",)
    if not meta.recipients:
        yield subject.finding(_RULE, obj, f"{obj.ref} has SOPS metadata but lists no "
                              f"recipient: nobody can decrypt it; {FIX}", at)
    elif not held:
        yield subject.finding(
            _RULE, obj, f"{obj.ref} is encrypted, but cluster {obj.cluster} declares no "
            "recipients: nothing shows it can decrypt it; add its public key to "
            f"spec.clusters[{fleet.clusters[obj.cluster].index}].secrets", at,
            related=(("cluster", fleet.where_cluster(obj.cluster)),))
    elif not meta.decryptable_with(frozenset(held)):
        yield subject.finding(
            _RULE, obj, f"{obj.ref} is encrypted to {listing(meta.recipients)}, none of "
            f"which cluster {obj.cluster} holds (its recipients: {listing(held)}); {FIX}",
            at, related=(("cluster", fleet.where_cluster(obj.cluster)),))
    else:
        yield from _stale(subject, fleet, item)


def _stale(subject: Subject, fleet: Fleet, item: Encrypted) -> Iterator[Finding]:
    obj, meta = item
    clusters = clusters_for(fleet, obj.component or "", obj.cluster or "")
    wanted = tuple(dict.fromkeys(r for c in clusters for r in fleet.secrets.recipients_of(c)))
    extra = [r for r in meta.recipients if r not in wanted]
    missing = [r for r in wanted if r not in meta.recipients]
    if extra:
        yield subject.finding(
            _RULE, obj, f"{obj.ref} is still encrypted to {listing(tuple(extra))}, which no "
            f"cluster it is placed on ({', '.join(clusters)}) holds: whoever has that key can "
            "decrypt it; run `mcgen secrets updatekeys`", meta.places[extra[0]],
            Severity.WARNING)
    if missing:
        yield subject.finding(
            _RULE, obj, f"{obj.ref} is not encrypted to {listing(tuple(missing))}, a "
            f"recipient of {', '.join(fleet.secrets.clusters_of(missing[0]))}; run "
            "`mcgen secrets updatekeys`", ("sops",), Severity.WARNING)


def _engine(subject: Subject, fleet: Fleet, found: list[Encrypted]) -> Iterator[Finding]:
    argocd = _argocd(subject, found)
    if argocd is not None and subject.shard is None:  # a shard's is counted at `--merge`
        yield argocd._replace(message=f"{len(found)} {argocd.message}")
    if fleet.output.engine != "flux" or fleet.output.flux.decryption_secret:
        return
    kinds = {r.kind for item in found for r in item.metadata.recipients}
    if kinds & {"age", "pgp"}:  # the same finding on every shard that finds these
        yield subject.fleet_finding(
            _RULE, "encrypted files use age or PGP keys, but spec.output.flux.decryption."
            "secretRef is not set: kustomize-controller has no private key to decrypt them "
            "with; name the Secret in the Flux namespace that holds the keys "
            "(e.g. decryption: {secretRef: sops-age})",
            fleet.where("spec", "output"), fleet.spec_path)


def counted(subject: Subject) -> list[Counted]:
    """A shard's count of encrypted documents (`mcgen.lint.pending`)."""
    fleet = subject.fleet
    assert fleet is not None
    found = _placed(subject, fleet)
    argocd = _argocd(subject, found)
    return [] if argocd is None else [Counted(argocd, len(found))]


def _placed(subject: Subject, fleet: Fleet) -> list[Encrypted]:
    """The encrypted documents placed on the fleet's clusters."""
    return [e for e in encrypted_objects(subject) if e.obj.cluster in fleet.clusters]


def _argocd(subject: Subject, found: list[Encrypted]) -> Finding | None:
    """The warning on Argo CD with encrypted documents, its count left out."""
    fleet = subject.fleet
    if not found or fleet is None or fleet.output.engine != "argocd":
        return None
    return subject.fleet_finding(
        _RULE, "encrypted document(s), but Argo CD does not decrypt SOPS and mcgen "
        "generates no decryption for it: without KSOPS in the repo-server, the ciphertext "
        "is applied; see docs/secrets.md (Argo CD)",
        fleet.where("spec", "output", "engine"), fleet.spec_path, Severity.WARNING)
