"""Manifests read as kubectl reads them (goyaml.v2 through sigs.k8s.io/yaml): the YAML a
template rendered, plain manifest files, kubeconform's documents. Start lines kept,
duplicate keys refused; the Rust parser where it gives the same values, libyaml otherwise."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import yaml
import yaml_rs

from mcgen.linear import compile_search
from mcgen.yaml.goloader import ManifestLoader, StrictLoader
from mcgen.yaml.limits import (
    BUILD_ERRORS,
    MAX_EXPANDED_NODES,
    build_error_message,
    expanded_size,
    failing_mark,
)


class Document(NamedTuple):
    line: int  # 1-based line where the document's content starts
    value: object


class DocumentError(NamedTuple):
    line: int
    column: int
    message: str


# Plain scalars the Rust parser (its own YAML 1.2 reading) may resolve otherwise than
# goyaml.v2: YAML 1.1 booleans (yes/on/y), numbers with a leading zero (v2: octal `017`,
# float `08`), sexagesimal and underscored numbers, exponents without a dot, 19 digits or
# more (v2: uint64, then float), exponents past float64, a sign after `0b`, infinities and
# NaN (refused with a position). Texts holding one, or tags, directives, end markers,
# anchors or aliases, take the libyaml path so meaning never depends on speed; the
# property tests in tests/render/test_documents.py hold the two paths to one reading.
# Searched on every manifest read, so RE2 (a DFA: ~100x Python's `re` on this alternation;
# no look-ahead, so the characters after a scalar are matched, not looked at). `_S` is
# Python's `\s` spelled out (RE2's is ASCII only) so both engines would find the same.
_S = r"[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}" \
     r"\x{202f}\x{205f}\x{3000}]"
_END = rf"{_S}*(?:[,\]}}#]|$)"  # what may follow a plain scalar in flow or at a line's end
_YAML11_PATTERN = (
    rf"(?m)(?:^|[{_S[1:-1]}:\-\[{{,])(?:y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)"
    rf"{_S}*(?:[:,\]}}#]|$)"
    rf"|(?:^|[{_S[1:-1]}\[{{,])[-+]?(?:0[0-9_]+|0o[0-7]+|[0-9][0-9_]*(?::[0-5]?[0-9])+"
    rf"(?:\.[0-9]*)?|[0-9][0-9_]*_[0-9_]*(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)"
    rf"{_END}"
    rf"|(?:^|[{_S[1:-1]}\[{{,])[-+]?\.?_|[0-9]{{19}}|0b[-+]"
    # an underscore anywhere in a number (`.0_`, `1.5_`: v2 reads numbers, yaml_rs texts)
    rf"|(?:^|[{_S[1:-1]}\[{{,])[-+]?[0-9.][0-9._]*_"
    # ... or in its exponent (`0E_-0`, `1e-_2`: v2 drops it and reads 0.0 and 0.01)
    rf"|(?:^|[{_S[1:-1]}\[{{,])[-+]?[0-9.][0-9._]*[eE][-+0-9]*_"
    r"|\.(?:inf|Inf|INF|nan|NaN|NAN)(?:[^\pL\pN\pM_]|$)"
    # an exponent past float64 in a number (not any `e` and 3 digits: every sha256 in
    # mcgen's own stamp comments has one, and sent its file down the slow path)
    rf"|(?:^|[{_S[1:-1]}\[{{,:])[-+]?(?:[0-9][0-9_]*\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]{{3}}"
    r"|![!\pL\pN\pM_<]|^%|^\.\.\.|<<" + _S + r"*:|[&*]|[\[{,]" + _S + r"*\?"
)
_YAML11 = compile_search(_YAML11_PATTERN)
_SEPARATOR = re.compile(r"^---(?:[ \t]|$)")


def may_resolve_otherwise(text: str) -> bool:
    """Whether `text` may hold a plain scalar that readers resolve differently (cheap)."""
    return _YAML11(text)


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
        elif isinstance(node, float) and not math.isfinite(node):
            return False  # JSON has neither: the libyaml path refuses it, located
    return True


def _fast(text: str) -> list[Document] | None:
    """The Rust parser (yaml_rs, ~7x libyaml through PyYAML) when it means the same.

    Anything it might read differently (YAML 1.1 scalars, tags, anchors and aliases,
    non-string keys) or cannot read goes to PyYAML, which also locates errors.
    """
    if _YAML11(text):
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


# kubectl cuts a stream at `---` lines and decodes each document alone; goyaml's reader
# skips a byte order mark at the start of each, so one may open any document.
_DOCUMENT_BOM = re.compile(r"(\A|^---[^\n]*\n)\ufeff", re.MULTILINE)


def parse_documents(text: str) -> list[Document] | DocumentError:
    """Every non-empty document of `text`, or the first YAML error with its position."""
    if "\ufeff" in text:
        text = _DOCUMENT_BOM.sub(r"\1", text)
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
    """The single document `text` as sigs.k8s.io/yaml reads it (`strict`: UnmarshalStrict,
    refusing a key given twice)."""
    loader = StrictLoader if strict else ManifestLoader
    try:
        return Loaded(yaml.load(text, Loader=loader))
    except (yaml.YAMLError, RecursionError) as exc:
        return Loaded(None, str(exc).replace("\n", " "))
