"""Secret values never printed: diffs say that a value changed, not what it is.

A value is secret when it is a `data` or `stringData` value of a `Secret` (base64 is no
protection), an `ENC[...]` value SOPS wrote (ciphertext: noise to a reviewer, and it
changes on every re-encryption), or the data key or MAC in a document's `sops:` metadata.
Both sides of a diff are masked alike, so an unchanged secret shows as an unchanged line
and a changed one as `<secret: changed>`; recipients, names and every other field show
as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mcgen.sops.metadata import METADATA_KEY, is_encrypted_value
from mcgen.yaml.manifests import DocumentError, parse_documents
from mcgen.yaml.nodes import leaves

PathKey = tuple[str | int, ...]
HIDDEN = "<secret>"
CHANGED = "<secret: changed>"
_SOPS_SECRET_KEYS = ("enc", "mac")


def is_secret_path(body: Mapping[str, object], at: PathKey, value: object) -> bool:
    """Whether the value at `at` of `body` must not be shown."""
    if body.get("kind") == "Secret" and len(at) >= 2 and at[0] in ("data", "stringData"):
        return True
    if at[:1] == (METADATA_KEY,) and at and at[-1] in _SOPS_SECRET_KEYS:
        return True
    return is_encrypted_value(value)


def shown_value(body: Mapping[str, object], at: PathKey, value: object, text: str) -> str:
    """`text` (how a value would be shown), or `<secret>` if the value is secret."""
    return HIDDEN if is_secret_path(body, at, value) else text


def might_hold_secrets(text: str) -> bool:
    """A cheap test before parsing: a file with neither can hold no secret value."""
    return "Secret" in text or "ENC[" in text or f"{METADATA_KEY}:" in text


def redact_pair(old: str | None, new: str | None) -> tuple[str | None, str | None]:
    """Both sides of a file's diff with secret values masked (changed ones marked)."""
    if not any(t is not None and might_hold_secrets(t) for t in (old, new)):
        return old, new
    old_values = dict(_secrets(old)) if old is not None else {}
    new_values = dict(_secrets(new)) if new is not None else {}
    # Only the new side says "changed", so that the diff shows a line for it.
    return (_masked(old, old_values, {}) if old is not None else None,
            _masked(new, new_values, old_values) if new is not None else None)


Span = tuple[int, int]
Found = tuple[tuple[int, PathKey], tuple[Span, object]]


def _secrets(text: str) -> Iterator[Found]:
    parsed = parse_documents(text)
    if isinstance(parsed, DocumentError):
        return
    bodies = [document.value for document in parsed]
    for leaf in leaves(text):
        body = bodies[leaf.document] if leaf.document < len(bodies) else None
        if isinstance(body, dict):
            value = _get(body, leaf.at)
            if is_secret_path(body, leaf.at, value):
                yield (leaf.document, leaf.at), ((leaf.start, leaf.end), value)


def _masked(text: str, mine: dict[tuple[int, PathKey], tuple[Span, object]],
            theirs: dict[tuple[int, PathKey], tuple[Span, object]]) -> str:
    out, last = [], 0
    for key, ((start, end), value) in sorted(mine.items(), key=lambda item: item[1][0]):
        other = theirs.get(key)
        changed = other is not None and other[1] != value
        out.append(text[last:start])
        out.append(CHANGED if changed else HIDDEN)
        if text[start:end].endswith("\n"):
            out.append("\n")
        last = end
    out.append(text[last:])
    return "".join(out)


def change_paths(old: Mapping[str, object], new: Mapping[str, object],
                 paths: list[tuple[PathKey, str]],
                 values: Mapping[PathKey, tuple[str, str]] | None = None) -> tuple[str, ...]:
    """The changed paths of an object as `mcgen diff` lists them (each with its text, and
    `old -> new` from `values` where given): secret ones say only that they changed, and a
    document's SOPS metadata is one entry, saying whether its recipients changed or it was
    only re-encrypted."""
    values = values or {}
    shown: list[str] = []
    metadata: list[PathKey] = []
    for at, text in paths:
        if at[:1] == (METADATA_KEY,):
            metadata.append(at)
        elif is_secret_path(new, at, _get(new, at)) or is_secret_path(old, at, _get(old, at)):
            shown.append(f"{text} (secret value changed)")
        elif at in values:
            shown.append(f"{text}: {values[at][0]} → {values[at][1]}")
        else:
            shown.append(text)
    if metadata:
        keys = [at for at in metadata if at[-1:] in (("recipient",), ("fp",), ("arn",),
                                                     ("resource_id",), ("vault_url",),
                                                     ("key_name",))]
        shown.append(f"{METADATA_KEY} (recipients changed)" if keys
                     else f"{METADATA_KEY} (re-encrypted)")
    return tuple(shown)


def _get(body: object, at: PathKey) -> object:
    for part in at:
        if isinstance(body, dict):
            body = body.get(part)
        elif isinstance(body, list) and isinstance(part, int) and part < len(body):
            body = body[part]
        else:
            return None
    return body
