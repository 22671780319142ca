"""libyaml (through PyYAML) reading manifests as sigs.k8s.io/yaml does: goyaml.v2's scalars,
keys turned into JSON text, no value JSON cannot hold.

`ManifestLoader` is kubectl's reading (a key given twice: the last wins); `StrictLoader`
refuses a key given twice, as `yaml.UnmarshalStrict` and mcgen's own reading do.
"""

from __future__ import annotations

import math

import yaml

from mcgen.yaml.resolve import goyaml_v2, json_key

_PREFIX = "tag:yaml.org,2002:"
_MERGE = _PREFIX + "merge"
_KIND_TAGS = {type(None): "null", bool: "bool", int: "int", float: "float", str: "str"}


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


def _error(problem: str, node: yaml.Node, context: yaml.Node | None = None
           ) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(
        "while constructing a mapping" if context else None,
        context.start_mark if context else None, problem, node.start_mark)


class ManifestLoader(yaml.CSafeLoader):
    """libyaml's parser with goyaml.v2's resolution of plain scalars."""

    def resolve(self, kind: type[yaml.Node], value: str | None,
                implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and value is not None:
            if value == "<<":
                return _MERGE
            return _PREFIX + _KIND_TAGS[type(goyaml_v2(value))]
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False
                          ) -> dict[object, object]:
        self.check_keys(node)
        self.flatten_mapping(node)
        mapping: dict[object, object] = {}
        for key_node, value_node in node.value:
            mapping[self.json_key(key_node, node)] = self.construct_object(value_node, deep)
        return mapping

    def check_keys(self, node: yaml.MappingNode) -> None:
        """Keys as written (merged ones aside): StrictLoader refuses one given twice."""

    def json_key(self, key_node: yaml.Node, mapping: yaml.MappingNode) -> str:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _error("found a mapping or list as a key; Kubernetes objects are JSON, "
                         "whose keys are strings", key_node, mapping)
        value = self.construct_object(key_node)
        text = json_key(value)
        if text is None:
            raise _error(f"found the key {key_node.value!r}, which sigs.k8s.io/yaml cannot "
                         "turn into JSON text (a null or an integer past 64 bits): quote it",
                         key_node, mapping)
        return text


class StrictLoader(ManifestLoader):
    """ManifestLoader refusing a key given twice in one mapping (also once stringified:
    `1:` and `"1":` are one JSON key)."""

    def check_keys(self, node: yaml.MappingNode) -> None:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.json_key(key_node, node)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key!r}", key_node.start_mark,
                )
            seen.add(key)


def _scalar(kind: type) -> object:
    def build(loader: ManifestLoader, node: yaml.ScalarNode) -> object:
        value = goyaml_v2(node.value)
        if kind is float and type(value) is int:
            value = float(value)  # `!!float 1`, as resolve.go's deferred check allows
        if type(value) is not kind:
            raise _error(f"cannot decode {node.value!r} as a !!{_KIND_TAGS[kind]}", node)
        if kind is float and not math.isfinite(value):  # type: ignore[arg-type]
            raise _error(f"{node.value!r} is an infinity or NaN, which JSON cannot hold "
                         "(Kubernetes objects are JSON): quote it for a string", node)
        return value
    return build


for _kind in (type(None), bool, int, float):
    ManifestLoader.add_constructor(_PREFIX + _KIND_TAGS[_kind], _scalar(_kind))  # type: ignore[arg-type]
# `<<` as a value, and a timestamp (`!!timestamp` written out): strings, as v2 decodes them.
ManifestLoader.add_constructor(_MERGE, ManifestLoader.construct_yaml_str)  # type: ignore[type-var]
ManifestLoader.add_constructor(_PREFIX + "timestamp",
                               ManifestLoader.construct_yaml_str)  # type: ignore[type-var]


def _not_json(loader: ManifestLoader, node: yaml.Node) -> None:
    tag = node.tag.replace(_PREFIX, "!!")
    raise yaml.constructor.ConstructorError(
        None, None, f"the YAML tag {tag} makes a value JSON cannot hold (Kubernetes objects "
        "are JSON): write a plain string, list or mapping", node.start_mark)


# bytes, sets and ordered pairs would reach the rules and the writer as Python types.
for _tag in ("binary", "set", "omap", "pairs"):
    ManifestLoader.add_constructor(_PREFIX + _tag, _not_json)
