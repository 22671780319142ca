"""Parse the YAML a template rendered: libyaml speed, start lines, duplicate keys refused."""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml
import yaml_rs


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class StrictLoader(yaml.CSafeLoader):
    """CSafeLoader that refuses a key given twice in one mapping (YAML says keys are unique)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            # Compare scalar keys as written (tag and text): no second construction.
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key_node.value!r}", key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Timestamps stay strings: Kubernetes fields are strings, and values must round-trip as typed.
StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_str  # type: ignore[type-var]
)


# Aliases make shared subtrees that writing the object would expand: a "billion laughs"
# document of a few hundred bytes expands to gigabytes. Real manifests stay far below.
MAX_EXPANDED_NODES = 1_000_000


def expanded_size(value: object, limit: int = MAX_EXPANDED_NODES) -> int:
    """How many nodes `value` has once aliases are expanded (stops counting past `limit`)."""
    sizes: dict[int, int] = {}

    def size(node: object, depth: int) -> int:
        if not isinstance(node, dict | list) or depth > 500:
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > limit:
                break
        sizes[id(node)] = total
        return total

    return size(value, 0)


class Document(NamedTuple):
    line: int  # 1-based line where the document's content starts
    value: object


class DocumentError(NamedTuple):
    line: int
    column: int
    message: str


# Plain scalars that YAML 1.1 (PyYAML, and Go's yaml.v2 that Kubernetes tools use) reads
# differently from YAML 1.2 (the Rust parser): booleans like yes/on/y, octals, base-60,
# underscores in numbers, exponents without a dot. Texts holding one, or tags,
# directives and end markers, take the PyYAML path so meaning never depends on speed.
_YAML11 = re.compile(
    r"(?:^|[\s:\-\[{,])(?:y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)(?=\s*(?:[:,\]}#]|$))"
    r"|(?:^|[\s\[{,])[-+]?(?:0[0-7_]+|0o[0-7]+|\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?"
    r"|\d[\d_]*_[\d_]*(?:\.\d*)?|\d+(?:\.\d*)?[eE][-+]?\d+)(?=\s*(?:[,\]}#]|$))"
    r"|![!\w<]|^%|^\.\.\.|<<\s*:",
    re.MULTILINE,
)
_SEPARATOR = re.compile(r"^---(?:[ \t]|$)")


def _fast(text: str) -> list[Document] | None:
    """The Rust parser (yaml_rs, ~7x libyaml through PyYAML) when it means the same."""
    if _YAML11.search(text):
        return None
    documents: list[Document] = []
    lines = text.splitlines(keepends=True)
    starts = [0] + [i for i, line in enumerate(lines) if i and _SEPARATOR.match(line)]
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        chunk = lines[start:end]
        if chunk and _SEPARATOR.match(chunk[0]) and chunk[0][3:].strip():
            return None  # content on the `---` line itself
        first = next((i for i, line in enumerate(chunk) if line.strip() and not
                      line.lstrip().startswith("#") and not _SEPARATOR.match(line)), None)
        if first is None:
            continue
        try:
            value = yaml_rs.loads("".join(chunk), parse_datetime=False)
        except Exception:  # any doubt: PyYAML decides, with positions
            return None
        if value is not None:
            documents.append(Document(start + first + 1, value))
    return documents


def parse_documents(text: str) -> list[Document] | DocumentError:
    """Every non-empty document of `text`, or the first YAML error with its position."""
    fast = _fast(text)
    if fast is not None and all(expanded_size(d.value) <= MAX_EXPANDED_NODES for d in fast):
        return fast
    loader = StrictLoader(text)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            value = loader.construct_document(node)
            if expanded_size(value) > MAX_EXPANDED_NODES:
                line = node.start_mark.line + 1
                return DocumentError(line, 1, f"the document expands to more than "
                                     f"{MAX_EXPANDED_NODES:,} values through aliases "
                                     "(an alias bomb?); refusing it")
            if value is not None:
                documents.append(Document(node.start_mark.line + 1, value))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        return DocumentError(line, column, problem or "invalid YAML")
    except yaml.YAMLError as exc:
        return DocumentError(1, 1, str(exc))
    except RecursionError:
        return DocumentError(1, 1, "YAML nested too deeply")
    finally:
        loader.dispose()
    return documents
