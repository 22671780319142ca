"""Where two Kubernetes objects differ, as JSON paths, and how to write such paths."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from mcgen.yaml.source import PathKey

MISSING = object()  # a side of a difference where the path does not exist

_TOKEN = re.compile(r"\[(\d+)\]|\[\"([^\"]*)\"\]|\['([^']*)'\]|([^.\[\]]+)")


class Difference(NamedTuple):
    at: PathKey
    left: object  # MISSING when absent on the left
    right: object


def differences(left: object, right: object, at: PathKey = ()) -> Iterator[Difference]:
    """Every leaf path where `left` and `right` differ; lists of unequal length differ whole."""
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        for key in sorted(set(left) | set(right), key=str):
            yield from differences(left.get(key, MISSING), right.get(key, MISSING),
                                   (*at, str(key)))
    elif isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (one, other) in enumerate(zip(left, right, strict=True)):
            yield from differences(one, other, (*at, index))
    elif left != right:
        yield Difference(at, left, right)


# Encodes only what holds no NaN: `allow_nan=False` raises on one.
_NAN_FREE = json.JSONEncoder(allow_nan=False, check_circular=False, default=repr)


def same(left: object, right: object, nan_free: bool = False) -> bool:
    """True only when `differences(left, right)` yields nothing; cheap, in C.

    `==` takes an object as equal to itself without looking inside, and replicas share
    the subtrees they render alike; NaN is the one value unequal to itself, so a value
    holding one (or anything JSON cannot encode) is left to `differences`. `nan_free`:
    the caller knows neither holds one (both were parsed by
    `mcgen.yaml.manifests.parse_documents`, which refuses NaN: JSON cannot hold it), and
    nothing is encoded.
    """
    if nan_free:
        return left == right
    try:
        return left == right and bool(_NAN_FREE.encode(right))
    except (ValueError, TypeError, RecursionError):
        return False


def parse_path(text: str) -> PathKey:
    """`spec.template.metadata.annotations`, `spec.containers[0].image`, `a["b.c/d"]`."""
    parts: list[str | int] = []
    for index, quoted, single, plain in _TOKEN.findall(text):
        parts.append(int(index) if index else (quoted or single or plain))
    return tuple(parts)


def format_path(at: PathKey) -> str:
    """The inverse of `parse_path`: keys with dots or slashes are quoted."""
    text = ""
    for part in at:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", part):
            text += f".{part}" if text else part
        else:
            text += f'["{part}"]'
    return text or "(the whole object)"


def starts_with(at: PathKey, prefix: PathKey) -> bool:
    return at[:len(prefix)] == prefix


def shown(value: object) -> str:
    """A value as a reviewer reads it in one line."""
    if value is MISSING:
        return "(absent)"
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."
