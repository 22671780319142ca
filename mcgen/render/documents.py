"""Parse the YAML a template rendered: libyaml speed, start lines, duplicate keys refused."""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml
import yaml_rs


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


# Aliases make shared subtrees that writing the object would expand: a "billion laughs"
# document of a few hundred bytes expands to gigabytes. Real manifests stay far below.
MAX_EXPANDED_NODES = 1_000_000


def expanded_size(value: object, limit: int = MAX_EXPANDED_NODES) -> int:
    """How many nodes `value` has once aliases are expanded (stops counting past `limit`).

    A recursive alias (`a: &a [*a]`) expands forever: it counts as past the limit.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: object, depth: int) -> int:
        if not isinstance(node, dict | list) or depth > 500:
            return 1
        if id(node) in open_:
            return limit + 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        open_.add(id(node))
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > limit:
                break
        open_.discard(id(node))
        sizes[id(node)] = total
        return total

    return size(value, 0)


# What YAML libraries raise, besides their own errors, on values they cannot build:
# `!!bool maybe`, `!!float nope`, an impossible date, an integer of 5,000 digits, some
# merge keys. Found by tests/fuzz.
BUILD_ERRORS = (ValueError, KeyError, IndexError, AttributeError, AssertionError, TypeError)


def failing_mark(exc: BaseException) -> tuple[int, int] | None:
    """0-based (line, column) of the node being built when `exc` was raised.

    Both PyYAML's and ruamel's constructors hold it in a local named `node`.
    """
    found = None
    frames = exc.__traceback__
    while frames is not None:
        mark = getattr(frames.tb_frame.f_locals.get("node"), "start_mark", None)
        if mark is not None:
            found = (int(mark.line), int(mark.column))
        frames = frames.tb_next
    return found


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


def build_error_message(exc: BaseException) -> str:
    text = f"invalid YAML value: cannot build it ({type(exc).__name__}: {exc})"
    return text.replace(": )", ")")


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
