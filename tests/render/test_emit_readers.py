"""Every string mcgen writes means that string to every reader: goyaml.v2 (kubectl, Flux,
Argo CD, kubeconform), goyaml.v3 (kyaml, kustomize), YAML 1.1 (PyYAML), YAML 1.2 (ruamel)."""

from __future__ import annotations

import io

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from sourceyaml.texts import TRICKY_PLAIN

from mcgen.yaml.emit import canonical_yaml, to_yaml
from mcgen.yaml.manifests import parse_documents
from mcgen.yaml.resolve import READERS, goyaml_v3

NUMBERISH = st.from_regex(r"\A[-+]?(0[xXoObB])?[0-9a-fA-F_.eE+:-]{0,10}\Z")
WORDISH = st.sampled_from(sorted({w for word in ("yes", "no", "on", "off", "y", "n", "true",
                                                 "false", "null", "nan", "inf")
                                  for w in (word, word.upper(), word.title())}))
STRINGS = st.one_of(
    st.sampled_from([t for t in TRICKY_PLAIN if len(t) < 200]),
    NUMBERISH, WORDISH,
    st.builds(lambda s: "." + s, WORDISH),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


class _Plain(yaml.CSafeLoader):
    def resolve(self, kind: type[yaml.Node], value: str | None,
                implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return "!plain"
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


def _v3(node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return {_v3(k): _v3(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_v3(item) for item in node.value]
    return goyaml_v3(node.value) if node.tag == "!plain" else node.value


def read_v3(text: str) -> object:
    """kyaml's reading: libyaml's parse (yaml.v3 is its port too) with v3's resolution."""
    return _v3(yaml.compose(text, Loader=_Plain))


def read_v2(text: str) -> object:
    parsed = parse_documents(text)
    assert isinstance(parsed, list), parsed
    return parsed[0].value


def read_11(text: str) -> object:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def read_12(text: str) -> object:
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


def _object(key: str, value: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "x", "annotations": {"big": value}},
            "data": {key: value, "list": [value]}}


@settings(max_examples=500, deadline=None)
@given(STRINGS, STRINGS)
def test_every_reader_reads_back_what_was_written(key: str, value: str) -> None:
    body = _object(key, value)
    text = canonical_yaml(body)
    for reader in (read_v2, read_v3, read_11, read_12):
        assert reader(text) == body, (reader.__name__, text)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(STRINGS, STRINGS, max_size=4))
def test_the_to_yaml_filter_is_read_back_alike(mapping: dict[str, str]) -> None:
    text = to_yaml({"m": mapping})
    for reader in (read_v2, read_v3, read_11, read_12):
        assert reader(text + "\n") == {"m": mapping}, (reader.__name__, text)


def test_a_string_annotation_that_looks_like_a_number_stays_a_string() -> None:
    text = canonical_yaml(_object("k", "1e3"))
    assert "big: '1e3'" in text
    assert read_v2(text)["metadata"]["annotations"]["big"] == "1e3"  # type: ignore[index]


def test_the_readers_really_differ_on_plain_text() -> None:
    # Without quotes these readers part: what the emitter guards against.
    meanings = {name: reader("1e3") for name, reader in READERS.items()}
    assert meanings["goyaml.v2"] == 1000.0 and meanings["YAML 1.1"] == "1e3"
    assert READERS["goyaml.v2"]("n") is False and READERS["goyaml.v3"]("n") == "n"
