"""SOPS recipients: the public half of each key a file is encrypted to, and their shapes.

A recipient is what a `.sops.yaml` creation rule and a file's `sops:` metadata both name:
an age public key, a PGP fingerprint, an AWS KMS key ARN, a GCP KMS key resource ID, an
Azure Key Vault key URL, or a HashiCorp Vault transit key URI. Only age keys and PGP
fingerprints have a shape worth checking closely (bech32 with its checksum, 40 or 64 hex
digits); cloud key names are checked loosely and otherwise kept as opaque strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

# Fleet spec key -> what the rest of mcgen calls it; the order SOPS lists keys in.
KINDS: tuple[str, ...] = ("age", "pgp", "kms", "gcpKms", "azureKv", "hcVault")

_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


class Recipient(NamedTuple):
    """One recipient, its value in canonical form (so the fleet's and a file's compare)."""

    kind: str
    value: str

    def __str__(self) -> str:
        return self.value if self.kind == "age" else f"{self.kind} {self.value}"


def recipient(kind: str, value: str) -> Recipient:
    """A recipient with its value canonical: PGP in upper case without spaces, age lower."""
    if kind == "pgp":
        return Recipient(kind, value.replace(" ", "").upper())
    if kind == "age":
        return Recipient(kind, value.lower())
    return Recipient(kind, value.strip())


def shape_problem(kind: str, value: str) -> str:
    """Why `value` is not a recipient of `kind` ('' if it is one)."""
    if not value or value != value.strip() or "," in value:
        return f"{kind} recipient {value!r} must be one non-empty value without commas"
    return _CHECKS[kind](value)


def _age(value: str) -> str:
    if value.startswith("AGE-SECRET-KEY-"):
        return ("this is an age PRIVATE key: never put it in the fleet or the repository; "
                "give its public key (age1..., `age-keygen -y`) and rotate this one")
    if not value.lower().startswith("age1") or not _bech32_valid(value):
        return (f"{value!r} is not an age public key: expected the bech32 form age1... "
                "(`age-keygen -y KEYFILE` prints it)")
    return ""


def _bech32_valid(text: str) -> bool:
    if text.lower() != text and text.upper() != text:
        return False
    hrp, _, data = text.lower().rpartition("1")
    if not hrp or len(data) < 6 or any(c not in _BECH32 for c in data):
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _polymod(values + [_BECH32.index(c) for c in data]) == 1


def _polymod(values: list[int]) -> int:
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_GENERATOR):
            check ^= generator if (top >> bit) & 1 else 0
    return check


def _pgp(value: str) -> str:
    compact = value.replace(" ", "")
    if re.fullmatch(r"[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}", compact):
        return ""
    return (f"{value!r} is not a PGP fingerprint: expected 40 (v4) or 64 (v6) hex digits, "
            "as `gpg --list-keys --with-colons` prints in its fpr line (short key IDs "
            "can collide)")


@dataclass(frozen=True)
class _Loose:
    """A cloud key name, checked loosely: its pattern, and what it should look like."""

    pattern: re.Pattern[str]
    what: str
    expected: str

    def __call__(self, value: str) -> str:
        if self.pattern.fullmatch(value):
            return ""
        return f"{value!r} is not {self.what}: expected {self.expected}"


_CHECKS: dict[str, Callable[[str], str]] = {
    "age": _age, "pgp": _pgp,
    "kms": _Loose(re.compile(r"arn:[a-z-]+:kms:[^\s:]*:[^\s:]*:\S+"), "an AWS KMS key ARN",
                  "arn:aws:kms:<region>:<account>:key/<id> (or alias/<name>)"),
    "gcpKms": _Loose(re.compile(r"projects/[^/\s]+/locations/[^/\s]+/keyRings/[^/\s]+"
                                r"/cryptoKeys/[^/\s]+"), "a GCP KMS key",
                     "projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>"),
    "azureKv": _Loose(re.compile(r"https://[^/\s]+/keys/[^/\s]+(/[^/\s]+)?"),
                      "an Azure Key Vault key",
                      "https://<vault>.vault.azure.net/keys/<name>/<version>"),
    "hcVault": _Loose(re.compile(r"https?://[^/\s]+/v1/\S+/keys/[^/\s]+"),
                      "a Vault transit key", "https://<vault>:8200/v1/<engine path>/keys/<name>"),
}
