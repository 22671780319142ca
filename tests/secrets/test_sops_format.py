"""SOPS' formats as mcgen reads and writes them: recipients, metadata, .sops.yaml blocks."""

from __future__ import annotations

import pytest
import yaml

from mcgen.errors import InputError
from mcgen.sops.config import CreationRule, block_lines, merge
from mcgen.sops.metadata import read_metadata, without_metadata
from mcgen.sops.recipients import recipient, shape_problem

AGE = "age1umlh6gh7nv7kyndv7psysfwv9tzydjm66kapld043wjgptuk4fkqjeztsm"
OTHER = "age1lcmtahuyzdhke3jvcmaw45g6vtqnwfj7wkjkv4trejejcxn87cqqezm4mq"


@pytest.mark.parametrize(("kind", "value"), [
    ("age", AGE),
    ("age", AGE.upper()),
    ("pgp", "85D77543B3D624B63CEA9E6DBC17301B491B3F21"),
    ("pgp", "85D7 7543 B3D6 24B6 3CEA  9E6D BC17 301B 491B 3F21"),
    ("kms", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("kms", "arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/fleet"),
    ("gcpKms", "projects/p/locations/europe-west1/keyRings/fleet/cryptoKeys/eu-west"),
    ("azureKv", "https://fleet.vault.azure.net/keys/eu-west/0123456789abcdef"),
    ("hcVault", "https://vault.example.com:8200/v1/transit/keys/eu-west"),
])
def test_good_recipients(kind: str, value: str) -> None:
    assert shape_problem(kind, value) == ""


@pytest.mark.parametrize(("kind", "value", "says"), [
    ("age", AGE[:-1] + ("q" if AGE[-1] != "q" else "p"), "not an age public key"),  # checksum
    ("age", "age1abc", "not an age public key"),
    ("age", "AGE-SECRET-KEY-1QQQQ", "PRIVATE key"),
    ("age", f"{AGE},{OTHER}", "without commas"),
    ("pgp", "491B3F21", "PGP fingerprint"),
    ("kms", "alias/fleet", "KMS key ARN"),
    ("gcpKms", "projects/p/keyRings/r", "GCP KMS key"),
    ("azureKv", "http://fleet.vault.azure.net/keys/k", "Azure Key Vault"),
    ("hcVault", "https://vault:8200/transit/eu", "Vault transit key"),
])
def test_bad_recipients(kind: str, value: str, says: str) -> None:
    assert says in shape_problem(kind, value)


def test_private_key_is_never_echoed() -> None:
    secret = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
    assert secret not in shape_problem("age", secret)


def test_pgp_recipients_compare_without_spaces_or_case() -> None:
    spaced = recipient("pgp", "85d7 7543 b3d6 24b6 3cea 9e6d bc17 301b 491b 3f21")
    assert spaced == recipient("pgp", "85D77543B3D624B63CEA9E6DBC17301B491B3F21")


def test_metadata_of_key_groups_and_rules() -> None:
    body = yaml.safe_load(f"""
        stringData: {{a: "ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]", b_unencrypted: plain}}
        sops:
          shamir_threshold: 2
          key_groups:
            - age: [{{recipient: {AGE}, enc: x}}]
              hc_vault: [{{vault_address: "https://v:8200", engine_path: transit,
                           key_name: eu, enc: x}}]
            - azure_kv: [{{vault_url: "https://f.vault.azure.net", name: k, version: "1",
                           enc: x}}]
            - pgp: [{{fp: 85d77543b3d624b63cea9e6dbc17301b491b3f21, enc: x}}]
          lastmodified: "2026-01-01T00:00:00Z"
          mac: x
          version: 3.11.0
    """)
    meta = read_metadata(body)
    assert meta is not None
    assert [str(r) for r in meta.recipients] == [
        AGE, "hcVault https://v:8200/v1/transit/keys/eu",
        "azureKv https://f.vault.azure.net/keys/k/1",
        "pgp 85D77543B3D624B63CEA9E6DBC17301B491B3F21"]
    assert meta.places[meta.recipients[2]] == ("sops", "key_groups", 1, "azure_kv", 0)
    assert meta.groups_needed == 2
    assert meta.decryptable_with(frozenset(meta.recipients[:3]))  # groups 1 and 2
    assert not meta.decryptable_with(frozenset(meta.recipients[:2]))  # group 1 only
    assert meta.encrypts(("stringData", "a"))  # default: all but *_unencrypted
    assert not meta.encrypts(("stringData", "b_unencrypted"))
    assert "sops" not in without_metadata(body)


def test_a_field_named_sops_is_not_metadata() -> None:
    body = {"kind": "ConfigMap", "sops": {"enabled": True}}
    assert read_metadata(body) is None
    assert without_metadata(body) is body


RULE = CreationRule("^clusters/eu\\-west/", (recipient("age", AGE),), "clusters/eu-west/")


def test_block_is_yaml_sops_reads() -> None:
    text = merge(None, "acme", block_lines("acme", "fleets/acme.yaml", [RULE]))
    [rule] = yaml.safe_load(text)["creation_rules"]
    assert rule == {"path_regex": "^clusters/eu\\-west/",
                    "encrypted_regex": "^(data|stringData)$", "key_groups": [{"age": [AGE]}]}


def test_block_is_replaced_in_place_and_the_rest_kept() -> None:
    first = merge("creation_rules:\n- age: " + OTHER + "\n", "acme",
                  block_lines("acme", "f", [RULE]))
    assert first.splitlines()[1].startswith("# >>> mcgen fleet acme")  # before the user's
    moved = first.replace("- age: " + OTHER + "\n", "")
    moved = moved.replace("creation_rules:\n", "creation_rules:\n- age: " + OTHER + "\n")
    again = merge(moved, "acme", block_lines("acme", "f", []))
    assert again.splitlines()[:3] == ["creation_rules:", "- age: " + OTHER,
                                      "# >>> mcgen fleet acme: generated from f by `mcgen "
                                      "secrets config`; edits inside are overwritten"]
    assert merge(again, "acme", block_lines("acme", "f", [])) == again


@pytest.mark.parametrize(("text", "line", "says"), [
    ("creation_rules: [{age: x}]\n", 1, "inline"),
    ("creation_rules:\n# <<< mcgen fleet acme\n# >>> mcgen fleet acme\n", 2, "once, in that"),
    ("creation_rules:\n  - a: [\n", 3, "invalid YAML"),
])
def test_shapes_mcgen_will_not_guess_at(text: str, line: int, says: str) -> None:
    with pytest.raises(InputError) as caught:
        merge(text, "acme", block_lines("acme", "f", [RULE]))
    [problem] = caught.value.problems
    assert problem.location.path == ".sops.yaml" and problem.location.line == line
    assert says in problem.message
