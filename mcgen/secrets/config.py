"""`mcgen secrets config`: `.sops.yaml` creation rules from each fleet's recipients."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from mcgen.fleet.model import Fleet
from mcgen.secrets.placement import SecretFolder, secret_folders
from mcgen.sops.config import CONFIG_FILE, CreationRule, block_lines, merge, regex_escape


@dataclass(frozen=True)
class ConfigResult:
    path: str  # the `.sops.yaml` written or compared
    text: str  # what it holds (or would hold)
    changed: bool
    skipped: tuple[str, ...]  # folders left out: their clusters declare no recipients


def creation_rules(fleet: Fleet) -> tuple[list[CreationRule], list[SecretFolder]]:
    """The fleet's rules, and the folders that get none (no recipients to encrypt to)."""
    rules, skipped = [], []
    for folder in secret_folders(fleet):
        recipients = tuple(dict.fromkeys(
            r for name in folder.clusters for r in fleet.secrets.recipients_of(name)))
        if not recipients:
            skipped.append(folder)
            continue
        about = f"{folder.prefix}: {folder.why}, for {', '.join(folder.clusters)}"
        rules.append(CreationRule("^" + regex_escape(folder.prefix), recipients, about))
    return rules, skipped


def sops_config(fleets: list[Fleet], check: bool) -> list[ConfigResult]:
    """Merge each fleet's block into its repository's `.sops.yaml` (written unless
    `check`); one result per repository."""
    by_root: dict[str, list[Fleet]] = {}
    for fleet in fleets:
        by_root.setdefault(fleet.root, []).append(fleet)
    return [_one_root(root, members, check) for root, members in by_root.items()]


def _one_root(root: str, fleets: list[Fleet], check: bool) -> ConfigResult:
    path = os.path.join(root, CONFIG_FILE)
    before = _read(path)
    text, skipped = before, []
    for fleet in fleets:
        rules, left_out = creation_rules(fleet)
        skipped += [f"{f.prefix} ({f.why})" for f in left_out]
        text = merge(text, fleet.name, block_lines(fleet.name, fleet.spec_path, rules))
    assert text is not None
    changed = text != before
    if changed and not check:
        _write(path, text)
    return ConfigResult(path, text, changed, tuple(skipped))


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _write(path: str, text: str) -> None:
    folder = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix=".sops.yaml.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if os.path.exists(path):
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
