"""Parse the YAML a template rendered: libyaml speed, start lines, duplicate keys refused."""

from __future__ import annotations

from typing import NamedTuple

import yaml


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class StrictLoader(yaml.CSafeLoader):
    """CSafeLoader that refuses a key given twice in one mapping (YAML says keys are unique)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key!r}", key_node.start_mark,
                )
            seen.add(key) if isinstance(key, (str, int, float, bool)) else None
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


def parse_documents(text: str) -> list[Document] | DocumentError:
    """Every non-empty document of `text`, or the first YAML error with its position."""
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
