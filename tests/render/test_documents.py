"""Both YAML paths agree: the Rust fast path only where YAML 1.1 and 1.2 read alike."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mcgen.yaml.manifests import _fast, parse_documents

SCALARS = st.sampled_from([
    "yes", "no", "on", "off", "y", "N", "true", "false", "null", "~", "0755", "0o17", "0x1F",
    "1_000", "12:30:01", "1e3", "1.5e3", "1.0", ".inf", "-.nan", "2020-01-01", "abc", "'q'",
    '"x: y"', "a b", "v1.2.3", "=", "<<", "!!str x", "&a x", "10%", "-1", "+1", "0", "01",
])


class Reference(yaml.CSafeLoader):
    """PyYAML, YAML 1.1, timestamps kept as text: the meaning mcgen promises."""


Reference.add_constructor("tag:yaml.org,2002:timestamp",
                          Reference.construct_yaml_str)  # type: ignore[type-var]


def reference(text: str) -> list[tuple[int, object]]:
    loader = Reference(text)
    found = []
    try:
        while loader.check_node():
            node = loader.get_node()
            value = loader.construct_document(node)
            if value is not None:
                found.append((node.start_mark.line + 1, value))
    finally:
        loader.dispose()
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "key", "on"]), SCALARS), min_size=1,
                max_size=4), st.integers(0, 2))
def test_fast_path_never_changes_meaning(pairs: list[tuple[str, str]], separators: int) -> None:
    body = "".join(f"{key}{index}: {value}\n" for index, (key, value) in enumerate(pairs))
    text = "---\n" * separators + body + "---\n# only a comment\n" + body
    try:
        expected = reference(text)
    except yaml.YAMLError:
        return
    parsed = parse_documents(text)
    assert isinstance(parsed, list)
    assert [(d.line, d.value) for d in parsed] == expected


def test_the_fast_path_is_taken_for_ordinary_manifests() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: b\n---\nkind: Z\n"
    fast = _fast(text)
    assert fast is not None and [d.line for d in fast] == [1, 7]
    assert _fast("enabled: yes\n") is None
