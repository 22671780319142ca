"""What a template reads from its context, found from its source before it runs.

Replicas mostly render a template from identical inputs: a Deployment that prints
`values.replicas` and `cluster.region` renders the same text on every cluster of a region
whose replicas agree. A template's *reads* are the paths of the context it can reach
(`("values", "replicas")`, `("cluster", "region")`), taken from its syntax tree: a name of
the context followed by attribute or constant-subscript steps. Wherever the chain is used
any other way (passed to a filter, iterated, called, assigned), the path reached so far is
read whole. Two contexts that agree on every read path render the template identically,
so its text is rendered once and shared (`render_key`).

The analysis errs only towards reading more: a step that could reach a method rather than
a value (`values.items`) reads the whole object before it, and a template that includes,
imports or extends another reads the whole context.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping

import jinja2
from jinja2 import nodes

ReadPath = tuple[str | int, ...]
CONTEXT_NAMES = frozenset({"cluster", "component", "values", "dependencies", "fleet"})
_OPAQUE = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends,
           nodes.ContextReference, nodes.DerivedContextReference)


def template_reads(env: jinja2.Environment, source: str) -> tuple[ReadPath, ...] | None:
    """The context paths `source` can read, sorted, or None when it may read the whole
    context."""
    tree = env.parse(source)
    parents: dict[int, nodes.Node] = {}
    names: list[nodes.Name] = []
    for node, parent in _walk(tree, None):
        if isinstance(node, _OPAQUE):
            return None
        if parent is not None:
            parents[id(node)] = parent
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in CONTEXT_NAMES:
            names.append(node)
    return tuple(sorted({_chain(name, parents) for name in names}, key=repr))


def _walk(node: nodes.Node, parent: nodes.Node | None
          ) -> Iterator[tuple[nodes.Node, nodes.Node | None]]:
    stack = [(node, parent)]
    while stack:
        current, above = stack.pop()
        yield current, above
        stack.extend((child, current) for child in current.iter_child_nodes())


def _chain(name: nodes.Name, parents: Mapping[int, nodes.Node]) -> ReadPath:
    path: list[str | int] = [name.name]
    current: nodes.Node = name
    while True:
        parent = parents.get(id(current))
        if isinstance(parent, nodes.Getattr) and parent.node is current:
            path.append(parent.attr)
        elif (isinstance(parent, nodes.Getitem) and parent.node is current
              and isinstance(parent.arg, nodes.Const)
              and type(parent.arg.value) in (str, int)):
            path.append(parent.arg.value)
        else:
            return tuple(path)
        current = parent


MISSING = object()
_DICT_ATTRIBUTES = frozenset(dir(dict))


def resolve(context: Mapping[str, object], path: ReadPath) -> tuple[int, object]:
    """How many steps of `path` lead to plain data in `context`, and the value reached.

    A step that is not a key (or index) of plain data stops the walk: the template then
    sees something derived from the whole value reached (a method, an undefined name).
    """
    value = context.get(str(path[0]), MISSING)
    depth = 1
    for step in path[1:]:
        if not _steps_into(value, step):
            break
        value = value[step]  # type: ignore[index]
        depth += 1
    return depth, value


def _steps_into(value: object, step: str | int) -> bool:
    if type(value) is dict:
        return type(step) is str and step in value and step not in _DICT_ATTRIBUTES
    return isinstance(value, list) and type(step) is int and -len(value) <= step < len(value)


def render_key(template: str, reads: tuple[ReadPath, ...] | None,
               context: Mapping[str, object], shared: dict[int, str]) -> str:
    """A digest of everything `template` can read from `context`.

    Values are written with repr, which tells 1 from 1.0, True and '1' and keeps the
    order of mappings (a template iterating one prints that order). `shared` memoizes
    the digest of values under `fleet`, which one view serves every pair of a render
    (the caller keeps it alive meanwhile, so identities are never reused).
    """
    parts: list[object] = [template]
    paths = reads if reads is not None else [(name,) for name in sorted(context)]
    for path in paths:
        depth, value = resolve(context, path)
        if path[0] == "fleet" and isinstance(value, dict | list):
            known = shared.get(id(value))
            if known is None:
                known = shared[id(value)] = hashlib.sha256(repr(value).encode()).hexdigest()
            value = ("fleet", known)  # context values hold lists, never tuples
        # A missing name reaches depth 1; -1 tells it from any value.
        parts.append(-1 if value is MISSING else depth)
        parts.append(None if value is MISSING else value)
    return hashlib.sha256(repr(parts).encode()).hexdigest()
