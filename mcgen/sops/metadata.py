"""A SOPS document's metadata (its `sops:` key), read without any key.

SOPS stores, next to the encrypted values, everything needed to decrypt them but the
private keys: the data key encrypted once per recipient (in one list per key type, or in
`key_groups` with Shamir's secret sharing), which values it encrypted
(`encrypted_regex` and its three siblings), whether the MAC covers only the encrypted
values (`mac_only_encrypted`), and when the file was last written. mcgen reads these to
tell who can decrypt a document and whether a value was left in the clear.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from mcgen.sops.recipients import Recipient, recipient

METADATA_KEY = "sops"
DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted"  # what SOPS uses when no rule is set
_ENCRYPTED = re.compile(r"^ENC\[[A-Z0-9_]+,data:")

Entry = Mapping[str, object]
PathKey = tuple[str | int, ...]


def _text(entry: Entry, key: str) -> str:
    value = entry.get(key)
    return "" if value is None else str(value)


def _azure(entry: Entry) -> str:
    url = f"{_text(entry, 'vault_url').rstrip('/')}/keys/{_text(entry, 'name')}"
    version = _text(entry, "version")
    return f"{url}/{version}" if version else url


def _vault(entry: Entry) -> str:
    return (f"{_text(entry, 'vault_address').rstrip('/')}/v1/"
            f"{_text(entry, 'engine_path').strip('/')}/keys/{_text(entry, 'key_name')}")


# A metadata list's key -> (the fleet's recipient kind, the recipient an entry names).
_LISTS: dict[str, tuple[str, Callable[[Entry], str]]] = {
    "age": ("age", lambda entry: _text(entry, "recipient")),
    "pgp": ("pgp", lambda entry: _text(entry, "fp")),
    "kms": ("kms", lambda entry: _text(entry, "arn")),
    "gcp_kms": ("gcpKms", lambda entry: _text(entry, "resource_id")),
    "azure_kv": ("azureKv", _azure),
    "hc_vault": ("hcVault", _vault),
}


@dataclass(frozen=True)
class SopsMetadata:
    """What a document's `sops:` key says, but the encrypted data keys themselves."""

    key_groups: tuple[tuple[Recipient, ...], ...]
    places: Mapping[Recipient, PathKey]  # where each recipient is first listed
    shamir_threshold: int
    encrypted_regex: str
    unencrypted_regex: str
    encrypted_suffix: str
    unencrypted_suffix: str
    mac_only_encrypted: bool
    last_modified: str
    version: str

    @property
    def groups_needed(self) -> int:
        """How many key groups a decryption needs (SOPS: every group, unless a Shamir
        threshold says fewer)."""
        groups = len(self.key_groups)
        return min(self.shamir_threshold, groups) if self.shamir_threshold > 0 else groups

    def decryptable_with(self, held: frozenset[Recipient]) -> bool:
        """Whether someone holding the keys of `held` can recover the data key."""
        usable = sum(1 for group in self.key_groups if held.intersection(group))
        return bool(self.key_groups) and usable >= self.groups_needed

    @property
    def recipients(self) -> tuple[Recipient, ...]:
        """Every recipient of every key group, each once, in the file's order."""
        return tuple(dict.fromkeys(r for group in self.key_groups for r in group))

    def encrypts(self, keys: tuple[str, ...]) -> bool:
        """Whether SOPS encrypts the value under these mapping keys (list indices left
        out), following its rules: a suffix or regex matching any key on the path."""
        if self.encrypted_regex:
            return any(re.search(self.encrypted_regex, key) for key in keys)
        if self.unencrypted_regex:
            return not any(re.search(self.unencrypted_regex, key) for key in keys)
        if self.encrypted_suffix:
            return any(key.endswith(self.encrypted_suffix) for key in keys)
        suffix = self.unencrypted_suffix or DEFAULT_UNENCRYPTED_SUFFIX
        return not any(key.endswith(suffix) for key in keys)

    def rule_text(self) -> str:
        """The rule that chose what was encrypted, as a reader would quote it."""
        for name in ("encrypted_regex", "unencrypted_regex", "encrypted_suffix"):
            value = getattr(self, name)
            if value:
                return f"{name} {value!r}"
        return f"unencrypted_suffix {self.unencrypted_suffix or DEFAULT_UNENCRYPTED_SUFFIX!r}"


def is_encrypted_value(value: object) -> bool:
    """An `ENC[AES256_GCM,data:...]` value as SOPS writes it."""
    return isinstance(value, str) and bool(_ENCRYPTED.match(value))


def sops_section(body: Mapping[str, object]) -> Mapping[str, object] | None:
    """The document's `sops:` mapping, if it is SOPS metadata (not a field of that name)."""
    section = body.get(METADATA_KEY)
    if not isinstance(section, Mapping):
        return None
    if not {"mac", "version", "lastmodified"} & set(section):
        return None
    return section


def read_metadata(body: Mapping[str, object]) -> SopsMetadata | None:
    """The SOPS metadata of a parsed document, or None when it is not a SOPS document."""
    section = sops_section(body)
    if section is None:
        return None
    threshold = section.get("shamir_threshold")
    listed = list(_groups(section))
    places: dict[Recipient, PathKey] = {}
    for group in listed:
        for found, at in group:
            places.setdefault(found, (METADATA_KEY, *at))
    return SopsMetadata(
        key_groups=tuple(tuple(found for found, _ in group) for group in listed),
        places=places,
        shamir_threshold=threshold if isinstance(threshold, int) else 0,
        encrypted_regex=_text(section, "encrypted_regex"),
        unencrypted_regex=_text(section, "unencrypted_regex"),
        encrypted_suffix=_text(section, "encrypted_suffix"),
        unencrypted_suffix=_text(section, "unencrypted_suffix"),
        mac_only_encrypted=section.get("mac_only_encrypted") is True,
        last_modified=_text(section, "lastmodified"),
        version=_text(section, "version"),
    )


Listed = tuple[tuple[Recipient, PathKey], ...]


def _groups(section: Mapping[str, object]) -> Iterator[Listed]:
    flat = _group(section, ())
    if flat:
        yield flat
        return
    groups = section.get("key_groups")
    for index, group in enumerate(groups if isinstance(groups, list) else []):
        if isinstance(group, Mapping):
            yield _group(group, ("key_groups", index))


def _group(section: Mapping[str, object], at: PathKey) -> Listed:
    found: list[tuple[Recipient, PathKey]] = []
    for key, (kind, name) in _LISTS.items():
        entries = section.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, Mapping) and name(entry):
                found.append((recipient(kind, name(entry)), (*at, key, index)))
    return tuple(found)


def without_metadata(body: Mapping[str, object]) -> Mapping[str, object]:
    """The document as the API server receives it once decrypted: no `sops:` key."""
    if sops_section(body) is None:
        return body
    return {key: value for key, value in body.items() if key != METADATA_KEY}
