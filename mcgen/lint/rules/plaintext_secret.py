"""plaintext-secret: a Kubernetes Secret with its values committed in the repository.

A `Secret`'s `data` is base64, an encoding anyone can reverse, and `stringData` is the
value itself: committed to Git, the secret is readable by everyone with read access to
the repository, forever (history keeps it after a later commit removes it). Rotate any
secret this rule finds, then commit it in one of these forms instead, which are fine:

- SOPS-encrypted: every value is `ENC[...]`, decrypted by Flux's kustomize-controller
  or a SOPS plug-in (see docs/secrets.md);
- a `SealedSecret` (bitnami sealed-secrets) or an `ExternalSecret` (external-secrets),
  which are other kinds and not reported;
- a Secret with no values (e.g. a `kubernetes.io/service-account-token` Secret that the
  API server fills in, or a placeholder filled by an operator).

A SOPS document is judged value by value, as SOPS wrote it: a `data` or `stringData`
value that is not `ENC[...]` is plaintext, whether SOPS left it so (its
`encrypted_regex`, `unencrypted_regex` or suffix rule does not select that key: a
`^data$` regex misses `stringData`) or it was added after encryption. The `sops:` key
alone proves nothing. The finding sits on the first plaintext value.

Example finding:

    clusters/us-east/storefront/secret-db.yaml:14:3: error: Secret shop/db holds
    'password' in plaintext (base64 is an encoding, not encryption); encrypt it with
    SOPS, or use a SealedSecret or an ExternalSecret, and rotate it [plaintext-secret]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import LintObject, Subject
from mcgen.sops.metadata import SopsMetadata, is_encrypted_value, read_metadata

ID = "plaintext-secret"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]
ADVICE = ("encrypt it with SOPS, or use a SealedSecret or an ExternalSecret, and rotate it")


def check(subject: Subject) -> Iterator[Finding]:
    for obj in subject.objects:
        if obj.ref.kind != "Secret" or obj.ref.api_version != "v1":
            continue
        found = _plaintext(obj)
        if found is not None:
            field, key = found
            yield subject.finding(_RULE, obj, _message(obj, field, key), (field, key))


def _message(obj: LintObject, field: str, key: str) -> str:
    meta = read_metadata(obj.body)
    if meta is None:
        return (f"{obj.ref} holds {key!r} in plaintext (base64 is an encoding, not "
                f"encryption); {ADVICE}")
    why = _why(meta, field, key)
    return f"{obj.ref} is a SOPS document, but {field}.{key} is in plaintext: {why}"


def _why(meta: SopsMetadata, field: str, key: str) -> str:
    if meta.encrypts((field, key)):
        return ("SOPS would have encrypted it, so it was added after encryption; edit the "
                "file with `sops` instead, and rotate the value")
    return (f"its {meta.rule_text()} leaves it unencrypted; encrypt with "
            "encrypted_regex '^(data|stringData)$' (`mcgen secrets config` writes it), and "
            "rotate the value")


def _plaintext(obj: LintObject) -> tuple[str, str] | None:
    """The first (field, key) with a value that is neither empty nor SOPS-encrypted."""
    for field in ("stringData", "data"):
        values = obj.body.get(field)
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if value not in (None, "") and not is_encrypted_value(value):
                return field, str(key)
    return None
