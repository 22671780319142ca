"""`.sops.yaml`: the creation rules mcgen writes, kept apart from the user's own.

SOPS picks the first creation rule whose `path_regex` matches a file's path relative to
the folder of `.sops.yaml` (Go regular expressions, searched, not anchored). mcgen owns
one marked block per fleet in `creation_rules`:

    creation_rules:
      # >>> mcgen fleet acme ...
      - path_regex: '^clusters/eu\\-west/'
        ...
      # <<< mcgen fleet acme
      - path_regex: '^docs/'          # the user's own rules: never touched
        age: age1...

Everything between a fleet's two marker lines is rewritten on every run; everything
outside them is kept byte for byte. A new block goes first, so that a user's catch-all
rule does not shadow the per-cluster rules; a block the user moved stays where it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mcgen.errors import InputError
from mcgen.location import Location
from mcgen.sops.recipients import Recipient
from mcgen.yaml.manifests import DocumentError, parse_documents

CONFIG_FILE = ".sops.yaml"
# Only `data` and `stringData` are encrypted: kind, name and labels stay readable, so
# kustomize, the linter and reviewers can still tell what the object is.
ENCRYPTED_REGEX = "^(data|stringData)$"
HEADER = ("# SOPS creation rules. Blocks between `# >>> mcgen` and `# <<< mcgen` lines are\n"
          "# written by `mcgen secrets config` from the fleet; keep your own rules outside.\n")


@dataclass(frozen=True)
class CreationRule:
    """One rule: files whose path matches get exactly these recipients."""

    path_regex: str
    recipients: tuple[Recipient, ...]
    comment: str  # what the path is, e.g. "clusters/eu-west/ (cluster eu-west)"
    encrypted_regex: str = ENCRYPTED_REGEX


def begin_marker(fleet: str) -> str:
    return f"# >>> mcgen fleet {fleet}"


def end_marker(fleet: str) -> str:
    return f"# <<< mcgen fleet {fleet}"


def regex_escape(text: str) -> str:
    """`text` as a regular expression both Go (RE2) and Python read the same way."""
    return "".join(f"\\{c}" if c in "\\.+*?()|[]{}^$-" else c for c in text)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def block_lines(fleet: str, source: str, rules: Sequence[CreationRule]) -> list[str]:
    """The fleet's marked block, list items at indentation 0."""
    lines = [f"{begin_marker(fleet)}: generated from {source} by `mcgen secrets config`;"
             " edits inside are overwritten"]
    for rule in rules:
        lines.append(f"# {rule.comment}")
        lines.append(f"- path_regex: {_quoted(rule.path_regex)}")
        lines.append(f"  encrypted_regex: {_quoted(rule.encrypted_regex)}")
        lines.append("  key_groups:")
        lines.extend(_group_lines(rule.recipients))
    lines.append(end_marker(fleet))
    return lines


def _group_lines(recipients: tuple[Recipient, ...]) -> list[str]:
    lines: list[str] = []
    for kind, key in (("age", "age"), ("pgp", "pgp"), ("kms", "kms"), ("gcpKms", "gcp_kms"),
                      ("azureKv", "azure_keyvault"), ("hcVault", "hc_vault")):
        values = [r.value for r in recipients if r.kind == kind]
        if values:
            lines.append(f"    {'-' if not lines else ' '} {key}:")
            lines.extend(f"          - {_entry(kind, value)}" for value in values)
    return lines


def _entry(kind: str, value: str) -> str:
    if kind == "kms":
        return "{arn: " + _quoted(value) + "}"
    if kind == "gcpKms":
        return "{resource_id: " + _quoted(value) + "}"
    if kind == "azureKv":
        url, _, rest = value.partition("/keys/")
        name, _, version = rest.partition("/")
        return (f"{{vaultUrl: {_quoted(url)}, key: {_quoted(name)}, "
                f"version: {_quoted(version)}}}")
    return _quoted(value)


def merge(existing: str | None, fleet: str, block: list[str], shown: str = CONFIG_FILE) -> str:
    """`existing` (the `.sops.yaml` text, None if there is none) with the fleet's block
    put in or replaced; raises InputError when the file's shape leaves no safe place."""
    if not existing:
        return HEADER + "creation_rules:\n" + _indented(block, "  ")
    lines = existing.splitlines(keepends=True)
    if not existing.endswith("\n"):
        lines[-1] += "\n"
    found = _markers(lines, fleet, shown)
    if found is not None:
        begin, end = found
        indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
        merged = [*lines[:begin], _indented(block, indent), *lines[end + 1:]]
    else:
        merged = _insert(lines, block, shown)
    text = "".join(merged)
    _check_rules_kept(existing, text, fleet, shown)
    return text


def _indented(block: list[str], indent: str) -> str:
    return "".join(f"{indent}{line}\n" for line in block)


def _markers(lines: list[str], fleet: str, shown: str) -> tuple[int, int] | None:
    begins = [i for i, line in enumerate(lines) if line.strip().startswith(begin_marker(fleet))]
    ends = [i for i, line in enumerate(lines) if line.strip() == end_marker(fleet)]
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        line = min(begins + ends) + 1
        raise InputError.at(Location(shown, line, 1),
                            f"the lines `{begin_marker(fleet)}` and `{end_marker(fleet)}` "
                            "must each appear once, in that order; fix them or delete both "
                            "(and the rules between) to let mcgen write its block again")
    return begins[0], ends[0]


def _insert(lines: list[str], block: list[str], shown: str) -> list[str]:
    keys = [i for i, line in enumerate(lines) if line.startswith("creation_rules:")]
    if not keys:
        return [*lines, "creation_rules:\n", _indented(block, "  ")]
    at = keys[0]
    rest = lines[at][len("creation_rules:"):].split("#", 1)[0].strip()
    if rest:
        raise InputError.at(Location(shown, at + 1, 1),
                            "creation_rules is written inline; write it as a block list "
                            "(one `- path_regex: ...` per line) so mcgen can add its rules")
    return [*lines[:at + 1], _indented(block, _item_indent(lines[at + 1:])), *lines[at + 1:]]


def _item_indent(following: list[str]) -> str:
    for line in following:
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)] if stripped.startswith("-") else "  "
    return "  "


def _check_rules_kept(before: str, after: str, fleet: str, shown: str) -> None:
    old, new = _rules(before, shown), _rules(after, shown)
    mine = set(mcgen_rule_lines(after, fleet)) | set(mcgen_rule_lines(before, fleet))
    if [r for r in old if r not in mine] != [r for r in new if r not in mine]:
        raise InputError.at(Location(shown, 1, 1),
                            "mcgen could not add its creation rules without changing yours; "
                            "add the lines `" + begin_marker(fleet) + "` and `"
                            + end_marker(fleet) + "` where its block should go")


def _rules(text: str, shown: str) -> list[str]:
    parsed = parse_documents(text)
    if isinstance(parsed, DocumentError):
        raise InputError.at(Location(shown, parsed.line, parsed.column),
                            f"invalid YAML: {parsed.message}")
    value = parsed[0].value if parsed else None
    rules = value.get("creation_rules") if isinstance(value, dict) else None
    if value is not None and not isinstance(value, dict):
        raise InputError.at(Location(shown, 1, 1), "expected a mapping with creation_rules")
    return [repr(rule) for rule in rules] if isinstance(rules, list) else []


def mcgen_rule_lines(text: str, fleet: str) -> list[str]:
    """The rules inside the fleet's block, each as `repr` of its parsed value."""
    lines = text.splitlines(keepends=True)
    begins = [i for i, line in enumerate(lines) if line.strip().startswith(begin_marker(fleet))]
    ends = [i for i, line in enumerate(lines) if line.strip() == end_marker(fleet)]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        return []
    inner = "".join(lines[begins[0] + 1:ends[0]])
    parsed = parse_documents("rules:\n" + inner)
    if isinstance(parsed, DocumentError) or not parsed or not isinstance(parsed[0].value, dict):
        return []
    rules = parsed[0].value.get("rules")
    return [repr(rule) for rule in rules] if isinstance(rules, list) else []
