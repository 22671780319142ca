"""The stat index's format: a block per cluster folder, read only when asked for, racy
rows never trusted, and anything that is not an index is no index
(`mcgen.output.index`)."""

from __future__ import annotations

import json

import pytest

from mcgen.output.index import Block, block_of, index_text, parse_index, read_index
from mcgen.render.clusterkey import ClusterKey

VERSION = 99
RECORDED = 10_000
TICK = 100


def row(path: str, mtime: int) -> str:
    return f"{path}\t12\t{mtime}\t{mtime}\t7\tsha256:ab\tkey-{path}\n"


def text_of(blocks: dict[str, Block], clusters: dict[str, list[object]] | None = None) -> str:
    head = {"version": VERSION, "fleet": "acme", "recorded": RECORDED, "tick": TICK,
            "clusters": clusters or {}}
    return "".join(index_text(head, blocks))


def test_blocks_round_trip_and_racy_rows_are_not_trusted() -> None:
    blocks = {"clusters/a": block_of([row("clusters/a/x.yaml", 5), row("clusters/a/y.yaml", 6)]),
              "clusters/b": block_of([row("clusters/b/x.yaml", RECORDED - 1)]),  # racy
              "": block_of([row("clusters/kustomization.yaml", 3)])}
    keys = {"a": ["k", ["p1", "p2"], "facts"]}
    index = parse_index(text_of(blocks, keys), VERSION)
    assert index.fleet == "acme" and index.clusters == {"a": ClusterKey("k", ("p1", "p2"),
                                                                          "facts")}
    assert index.blocks["clusters/a"].newest == 6 and index.blocks["clusters/a"].files == 2
    assert index.settled("clusters/a") and not index.settled("clusters/b")
    assert not index.settled("clusters/c")  # never recorded
    assert set(index.files(["clusters/a"])) == {"clusters/a/x.yaml", "clusters/a/y.yaml"}
    assert index.files(["clusters/b"]) == {}  # its one row is racy
    assert set(index.known) == {"clusters/a/x.yaml", "clusters/a/y.yaml",
                                "clusters/kustomization.yaml"}
    assert index.known["clusters/a/y.yaml"].key == "key-clusters/a/y.yaml"
    assert "".join(index_text({}, index.blocks)).count("\n") == 1 + 3 + 4  # copied unread


@pytest.mark.parametrize("broken", [
    lambda t: t.replace(f'"version": {VERSION}', '"version": 1'),
    lambda t: t.replace("#\tclusters/a\t6\n", ""),  # rows before any block
    lambda t: t.replace("#\tclusters/a\t6", "#\tclusters/a"),  # no newest time
    lambda t: t.replace('"clusters": {}', '"clusters": {"a": "k"}'),
    lambda t: "not json\n" + t,
])
def test_anything_else_is_refused(broken: object) -> None:
    blocks = {"clusters/a": block_of([row("clusters/a/x.yaml", 6)])}
    text = text_of(blocks)
    assert callable(broken)
    changed = broken(text)
    assert changed != text
    with pytest.raises((ValueError, KeyError, TypeError)):
        parse_index(changed, VERSION).known  # noqa: B018  (reading it is the test)


def test_a_line_that_is_no_row_is_not_trusted_and_the_rest_is() -> None:
    """Read only when asked for, a block cannot fail the run: a broken line is a file
    mcgen reads again."""
    rows = ("clusters/a/x.yaml\t12\t5\tsha256:ab\tk\n"  # a field short
            "clusters/a/y.yaml\t12\tlate\t5\t7\tsha256:ab\tk\n"  # no time
            + row("clusters/a/z.yaml", 5))
    text = text_of({"clusters/a": Block(rows, 5)})
    index = parse_index(text, VERSION)
    assert set(index.files(["clusters/a"])) == {"clusters/a/z.yaml"}
    assert json.loads(text.splitlines()[0])["fleet"] == "acme"


def test_read_line_by_line_only_the_blocks_wanted() -> None:
    """A shard reads only its clusters' blocks; a run needing the clusters' keys, only
    the header: the same blocks, byte for byte, as reading the whole text."""
    blocks = {f"clusters/{name}": block_of([row(f"clusters/{name}/x.yaml", 5),
                                            row(f"clusters/{name}/y.yaml", 6)])
              for name in ("a", "b", "c")}
    blocks[""] = block_of([row("argocd/acme/app.yaml", 4)])
    text = text_of(blocks, {"a": ["k", [], "f"]})
    whole = parse_index(text, VERSION)
    part = read_index(iter(text.splitlines(keepends=True)), VERSION,
                      lambda group: group in {"clusters/b", ""})
    assert set(part.blocks) == {"clusters/b", ""}
    assert part.blocks["clusters/b"] == whole.blocks["clusters/b"] == blocks["clusters/b"]
    assert set(part.known) == {"clusters/b/x.yaml", "clusters/b/y.yaml", "argocd/acme/app.yaml"}
    head = read_index(text.splitlines(keepends=True)[:1], VERSION)
    assert head.clusters == whole.clusters and head.cutoff == whole.cutoff and not head.blocks
    unterminated = text.rstrip("\n")  # a last row without its line break reads the same
    assert parse_index(unterminated, VERSION).blocks == whole.blocks
