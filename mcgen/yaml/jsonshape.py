"""YAML a fleet spec may not use: whatever has no JSON meaning (issue #16).

A fleet spec is JSON in YAML's clothes: its values reach templates and generated files.
YAML can say more, and the spec reader turned it into Python text: `!!binary aGVsbG8=`
became `b'hello'`, `!!set {a, b}` became `set(...)`, a `null:` key became `None`, and
custom tags (`!Ref x`), `!!python/...`, complex keys (`? [a, b]`) and merge keys (`<<`)
were read as something else, and `.inf` or `.nan` reached templates as `inf`, and `tojson`
as `Infinity` (not JSON). Each is refused here at its `file:line:col`, before
anything reads the value.

The composed nodes are walked once each (aliases share nodes), and only when the text
holds something that could be one of these, so a plain spec costs a regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from mcgen.location import Location, Problem

CORE = "tag:yaml.org,2002:"
# `value` (`=`) and `merge` (`<<` as a value) are YAML 1.1's reading of plain strings.
ALLOWED = {f"{CORE}{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq",
                                        "timestamp", "value", "merge")}
# YAML 1.1 reads these keys as booleans; the spec reader (YAML 1.2) as strings, as meant.
WORDS = {"yes", "no", "on", "off", "y", "n"}
# A tag, a merge key, infinity or NaN, a complex key, or a key that is not a string (null,
# a number, a bool).
_SUSPECT = re.compile(r"!|<<|\.(inf|Inf|INF|nan|NaN|NAN)\b|[\]}]\s*:(\s|$)|(^|[\s,{\[])\?(\s|$)|"
                      r"(^|[\s,{\[-])"
                      r"(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|"
                      r"[-+.]?\d[\w.+-]*)\s*:(\s|$)", re.MULTILINE)
_NOT_A_NUMBER = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
WHY = {
    f"{CORE}binary": "binary data (!!binary)", f"{CORE}set": "a set (!!set)",
    f"{CORE}omap": "an ordered map (!!omap)", f"{CORE}pairs": "pairs (!!pairs)",
}


def json_shape_problems(text: str, shown: str) -> list[Problem]:
    """Every value or key of `text` with no JSON meaning, located."""
    if not _SUSPECT.search(text):
        return []
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return []  # the spec reader reports the syntax error itself
    seen: set[int] = set()
    return [problem for node in nodes if node is not None
            for problem in _walk(node, shown, seen)]


def _at(node: yaml.Node, shown: str) -> Location:
    return Location(shown, node.start_mark.line + 1, node.start_mark.column + 1)


def _walk(node: yaml.Node, shown: str, seen: set[int]) -> Iterator[Problem]:
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.tag not in ALLOWED:
            yield Problem(_at(current, shown), _tag_message(current.tag))
            continue
        if current.tag == f"{CORE}float" and _NOT_A_NUMBER.fullmatch(current.value):
            yield Problem(_at(current, shown), f"{current.value} is not a JSON number (JSON has "
                          "no infinity or NaN) and is not allowed in a fleet spec; quote it "
                          "for the text, or write a number")
            continue
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                problem = _key_problem(key, shown)
                if problem:
                    yield problem
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _tag_message(tag: str) -> str:
    what = WHY.get(tag) or (f"a Python object ({tag.removeprefix(CORE)})"
                            if "python/" in tag else f"the tag {tag!r}")
    return (f"{what} has no JSON meaning and is not allowed in a fleet spec; write plain "
            "strings, numbers, booleans, lists and maps")


def _key_problem(key: yaml.Node, shown: str) -> Problem | None:
    if key.tag == f"{CORE}merge":
        return Problem(_at(key, shown), "a merge key (<<) is not allowed in a fleet spec: "
                                        "write the keys out (anchors and aliases are fine)")
    if not isinstance(key, yaml.ScalarNode):
        return Problem(_at(key, shown), "a complex key (a list or map used as a key) has no "
                                        "JSON meaning; keys must be strings")
    if key.tag != f"{CORE}str" and not (key.tag == f"{CORE}bool"
                                        and key.value.lower() in WORDS):
        return Problem(_at(key, shown), f"the key {key.value!r} is read as "
                                        f"{key.tag.removeprefix(CORE)}, not a string; keys must "
                                        f"be strings: quote it (\"{key.value}\")")
    return None
