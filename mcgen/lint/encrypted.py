"""The SOPS documents of a lint run, with their metadata, found once and shared."""

from __future__ import annotations

from typing import NamedTuple

from mcgen.fleet.model import Fleet
from mcgen.lint.subject import LintObject, Subject
from mcgen.sops.metadata import SopsMetadata, read_metadata
from mcgen.sops.recipients import Recipient

_MEMO = "sops-documents"
DATA_CLASS_LABEL = "mcgen.dev/data-class"


class Encrypted(NamedTuple):
    obj: LintObject
    metadata: SopsMetadata


def encrypted_objects(subject: Subject) -> tuple[Encrypted, ...]:
    """Every object that carries SOPS metadata, in run order."""
    cached = subject.memo.get(_MEMO)
    if isinstance(cached, tuple):
        return cached
    found = []
    for obj in subject.objects:
        if "sops" in obj.body:
            metadata = read_metadata(obj.body)
            if metadata is not None:
                found.append(Encrypted(obj, metadata))
    result = tuple(found)
    subject.memo[_MEMO] = result
    return result


def data_class_of(fleet: Fleet, obj: LintObject) -> str | None:
    """The object's own `mcgen.dev/data-class` label, else its component's class."""
    label = obj.labels.get(DATA_CLASS_LABEL)
    if isinstance(label, str) and label:
        return label
    component = fleet.components.get(obj.component or "")
    return component.data_class if component is not None else None


def listing(recipients: tuple[Recipient, ...], most: int = 3) -> str:
    """`age1..., pgp 85D7...` with at most `most` named."""
    shown = ", ".join(str(r) for r in recipients[:most])
    return shown + (f" and {len(recipients) - most} more" if len(recipients) > most else "")
