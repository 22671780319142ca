"""Parse the YAML a template rendered: libyaml speed, start lines, duplicate keys refused."""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml
import yaml_rs

from mcgen.yaml.limits import (
    BUILD_ERRORS,
    MAX_EXPANDED_NODES,
    build_error_message,
    expanded_size,
    failing_mark,
)


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


_STR = "tag:yaml.org,2002:str"


class StrictLoader(yaml.CSafeLoader):
    """CSafeLoader that refuses a key given twice in one mapping (YAML says keys are unique)
    and a key that is not a string (Kubernetes objects are JSON; the rules, the JSON
    Schema validator and the writer expect string keys: found by tests/fuzz)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False
                          ) -> dict[object, object]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            # Judged from the node as written: keys are never constructed twice.
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "..."
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found a key that is not a string ({shown!r}); Kubernetes objects are "
                    f"JSON, whose keys are strings: quote it", key_node.start_mark,
                )
            key = str(key_node.value)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key!r}", key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Timestamps stay strings: Kubernetes fields are strings, and values must round-trip as typed.
StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_str  # type: ignore[type-var]
)


def _not_json(loader: StrictLoader, node: yaml.Node) -> None:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise yaml.constructor.ConstructorError(
        None, None, f"the YAML tag {tag} makes a value JSON cannot hold (Kubernetes objects "
        "are JSON): write a plain string, list or mapping", node.start_mark)


# bytes, sets and ordered pairs would reach the rules and the writer as Python types.
for _tag in ("binary", "set", "omap", "pairs"):
    StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _not_json)


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
    r"|![!\w<]|^%|^\.\.\.|<<\s*:|[&*]",
    re.MULTILINE,
)
_SEPARATOR = re.compile(r"^---(?:[ \t]|$)")


FAST_MAX_DEPTH = 200


def _plain_json(value: object) -> bool:
    """String keys only and at most FAST_MAX_DEPTH levels: what the fast path may return."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > FAST_MAX_DEPTH:
            return False
        if isinstance(node, dict):
            if not all(isinstance(key, str) for key in node):
                return False
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, int) and node.bit_length() > 4000:
            return False  # past Python's int-to-text limit: PyYAML reports it, located
    return True


def _fast(text: str) -> list[Document] | None:
    """The Rust parser (yaml_rs, ~7x libyaml through PyYAML) when it means the same.

    Anything it might read differently (YAML 1.1 scalars, tags, anchors and aliases,
    non-string keys) or cannot read goes to PyYAML, which also locates errors.
    """
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
        if not _plain_json(value):
            return None
        if value is not None:
            documents.append(Document(start + first + 1, value))
    return documents


def parse_documents(text: str) -> list[Document] | DocumentError:
    """Every non-empty document of `text`, or the first YAML error with its position."""
    fast = _fast(text)
    if fast is not None:
        return fast
    loader = StrictLoader(text)
    documents: list[Document] = []
    line = 1  # where the document being read starts
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            line = node.start_mark.line + 1
            value = loader.construct_document(node)
            if expanded_size(value) > MAX_EXPANDED_NODES:
                return DocumentError(line, 1, f"the document expands to more than "
                                     f"{MAX_EXPANDED_NODES:,} values through aliases "
                                     "(an alias bomb?); refusing it")
            if value is not None:
                documents.append(Document(line, value))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        return DocumentError(line, column, problem or "invalid YAML")
    except yaml.YAMLError as exc:
        return DocumentError(1, 1, str(exc))
    except RecursionError:
        return DocumentError(1, 1, "YAML nested too deeply")
    except BUILD_ERRORS as exc:
        at = failing_mark(exc)
        row, column = (at[0] + 1, at[1] + 1) if at else (line, 1)
        return DocumentError(row, column, build_error_message(exc))
    finally:
        loader.dispose()
    return documents


class Loaded(NamedTuple):
    """One document read alone: its value, or why it could not be read."""

    value: object
    error: str = ""


def read_document(text: str, strict: bool) -> Loaded:
    """The single document `text` (libyaml; `strict` refuses duplicate and non-string keys)."""
    loader = StrictLoader if strict else yaml.CSafeLoader
    try:
        return Loaded(yaml.load(text, Loader=loader))
    except (yaml.YAMLError, RecursionError) as exc:
        return Loaded(None, str(exc).replace("\n", " "))
