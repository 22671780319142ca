"""The stat index's format: a header line naming a block per cluster folder, each block
a file named by its digest, read only when asked for; racy rows never trusted, a block
gone or altered trusted for nothing, and anything that is not an index is no index
(`mcgen.output.index`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mcgen.output.index import (
    Block,
    BlockStore,
    block_name,
    block_of,
    index_text,
    keys_text,
    parse_index,
    read_index,
)
from mcgen.render.clusterkey import ClusterKey, Placed

VERSION = 99
RECORDED = 10_000
TICK = 100


def row(path: str, mtime: int) -> str:
    return f"{path}\t12\t{mtime}\t{mtime}\t7\tsha256:ab\tkey-{path}\n"


def text_of(blocks: dict[str, Block], clusters: dict[str, ClusterKey] | None = None) -> str:
    head = {"version": VERSION, "fleet": "acme", "recorded": RECORDED, "tick": TICK,
            **keys_text(clusters or {})}
    return "".join(index_text(head, blocks))


def stored(tmp_path: Path, blocks: dict[str, Block]) -> BlockStore:
    store = BlockStore(str(tmp_path / "blocks"))
    store.write(blocks.values())
    return store


def test_blocks_round_trip_through_their_files_and_racy_rows_are_not_trusted(
        tmp_path: Path) -> None:
    blocks = {"clusters/a": block_of([row("clusters/a/x.yaml", 5), row("clusters/a/y.yaml", 6)]),
              "clusters/b": block_of([row("clusters/b/x.yaml", RECORDED - 1)]),  # racy
              "": block_of([row("clusters/kustomization.yaml", 3)])}
    p1 = Placed("web", "template", "templates/web/a.yaml", "p1")
    p2 = Placed("web", "template", "templates/web/b.yaml", "p2")
    keys = {"a": ClusterKey("k", (p1, p2), "facts"), "b": ClusterKey("l", (p2,), "")}
    text = text_of(blocks, keys)
    assert text.count("\n") == 1 + 3  # the header and a line a block: no row
    index = parse_index(text, VERSION, stored(tmp_path, blocks))
    assert index.fleet == "acme" and index.clusters == keys
    assert json.loads(text.splitlines()[0])["pieces"] == [list(p1), list(p2)]  # each once
    assert index.blocks["clusters/a"].newest == 6 and index.blocks["clusters/a"].files == 2
    assert index.blocks["clusters/a"].rows is None  # not read until asked for
    assert index.settled("clusters/a") and not index.settled("clusters/b")
    assert not index.settled("clusters/c")  # never recorded
    assert set(index.files(["clusters/a"])) == {"clusters/a/x.yaml", "clusters/a/y.yaml"}
    assert index.files(["clusters/b"]) == {}  # its one row is racy
    assert set(index.known) == {"clusters/a/x.yaml", "clusters/a/y.yaml",
                                "clusters/kustomization.yaml"}
    assert index.known["clusters/a/y.yaml"].key == "key-clusters/a/y.yaml"
    assert "".join(index_text({}, index.blocks)).count("\n") == 1 + 3  # copied unread


def test_a_block_is_a_file_named_by_its_rows_written_once(tmp_path: Path) -> None:
    block = block_of([row("clusters/a/x.yaml", 5)])
    store = stored(tmp_path, {"clusters/a": block})
    path = tmp_path / "blocks" / block.name
    assert path.read_text() == block.rows
    assert block_of([row("clusters/a/x.yaml", 5)]).name == block.name
    assert block_of([row("clusters/a/x.yaml", 6)]).name != block.name
    before = path.stat()
    store.write([block])  # the same rows: the file is there already, left as it is
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns
    assert oct((tmp_path / "blocks").stat().st_mode & 0o777) == "0o700"


def test_a_block_gone_or_altered_is_trusted_for_nothing(tmp_path: Path) -> None:
    blocks = {"clusters/a": block_of([row("clusters/a/x.yaml", 5)]),
              "clusters/b": block_of([row("clusters/b/x.yaml", 5)])}
    store = stored(tmp_path, blocks)
    (tmp_path / "blocks" / blocks["clusters/a"].name).unlink()
    altered = tmp_path / "blocks" / blocks["clusters/b"].name
    altered.write_text(row("clusters/b/x.yaml", 5).replace("sha256:ab", "sha256:cd"))
    index = parse_index(text_of(blocks), VERSION, store)
    assert index.files(["clusters/a"]) == {} and index.files(["clusters/b"]) == {}


def test_a_block_name_that_is_no_digest_is_never_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text(row("clusters/a/x.yaml", 5))
    text = text_of({}) + "#\tclusters/a\t5\t1\t../secret\n"
    index = parse_index(text, VERSION, BlockStore(str(tmp_path / "blocks")))
    assert index.files(["clusters/a"]) == {}


def test_prune_removes_every_block_the_index_no_longer_names(tmp_path: Path) -> None:
    old, new = block_of([row("clusters/a/x.yaml", 5)]), block_of([row("clusters/a/x.yaml", 6)])
    store = stored(tmp_path, {"a": old, "b": new})
    store.prune([new._replace(rows=None)])
    assert os.listdir(tmp_path / "blocks") == [new.name]


@pytest.mark.parametrize("broken", [
    lambda t: t.replace(f'"version": {VERSION}', '"version": 1'),
    lambda t: t.replace("#\tclusters/a\t6\t1\t", "clusters/a\t6\t1\t"),  # no block's line
    lambda t: t.replace("#\tclusters/a\t6\t1", "#\tclusters/a\t6"),  # a field short
    lambda t: t.replace("#\tclusters/a\t6", "#\tclusters/a\tlate"),  # no newest time
    lambda t: t + row("clusters/a/y.yaml", 6),  # a row in the index itself
    lambda t: t.replace('"clusters": {"a": ["k", [0], "f"]}', '"clusters": {"a": "k"}'),
    lambda t: t.replace('"clusters": {"a": ["k", [0], "f"]}', '"clusters": {"a": ["k", [1], "f"]}'),
    lambda t: t.replace('"pieces": [["web", "template", "t", "p", ""]]', '"pieces": [7]'),
    lambda t: t.replace('"pieces": [["web", "template", "t", "p", ""]]', '"pieces": [["p"]]'),
    lambda t: t.replace('"pieces": [["web", "template", "t", "p", ""]]',
                        '"pieces": [["web", "template", "t", 7, ""]]'),
    lambda t: t.replace('"pieces": [["web", "template", "t", "p", ""]]',
                        '"pieces": [["web", "template", "t\\nkind: X", "p", ""]]'),
    lambda t: "not json\n" + t,
])
def test_anything_else_is_refused(broken: object) -> None:
    blocks = {"clusters/a": block_of([row("clusters/a/x.yaml", 6)])}
    text = text_of(blocks, {"a": ClusterKey("k", (Placed("web", "template", "t", "p"),), "f")})
    assert callable(broken)
    changed = broken(text)
    assert changed != text
    with pytest.raises((ValueError, KeyError, TypeError)):
        parse_index(changed, VERSION).known  # noqa: B018  (reading it is the test)


def test_a_line_that_is_no_row_is_not_trusted_and_the_rest_is(tmp_path: Path) -> None:
    """Read only when asked for, a block cannot fail the run: a broken line is a file
    mcgen reads again."""
    rows = ["clusters/a/x.yaml\t12\t5\tsha256:ab\tk\n",  # a field short
            "clusters/a/y.yaml\t12\tlate\t5\t7\tsha256:ab\tk\n",  # no time
            row("clusters/a/z.yaml", 5)]
    block = Block(block_name("".join(rows)), 5, 3, "".join(rows))
    blocks = {"clusters/a": block}
    index = parse_index(text_of(blocks), VERSION, stored(tmp_path, blocks))
    assert set(index.files(["clusters/a"])) == {"clusters/a/z.yaml"}
    assert json.loads(text_of(blocks).splitlines()[0])["fleet"] == "acme"


def test_only_the_blocks_wanted_and_the_header_alone(tmp_path: Path) -> None:
    """A shard trusts only its clusters' blocks; a run needing the clusters' keys reads
    only the header."""
    blocks = {f"clusters/{name}": block_of([row(f"clusters/{name}/x.yaml", 5),
                                            row(f"clusters/{name}/y.yaml", 6)])
              for name in ("a", "b", "c")}
    blocks[""] = block_of([row("argocd/acme/app.yaml", 4)])
    store = stored(tmp_path, blocks)
    text = text_of(blocks, {"a": ClusterKey("k", (), "f")})
    whole = parse_index(text, VERSION, store)
    part = read_index(iter(text.splitlines(keepends=True)), VERSION, store,
                      lambda group: group in {"clusters/b", ""})
    assert set(part.blocks) == {"clusters/b", ""}
    assert part.blocks["clusters/b"] == whole.blocks["clusters/b"]
    assert set(part.known) == {"clusters/b/x.yaml", "clusters/b/y.yaml", "argocd/acme/app.yaml"}
    head = read_index(text.splitlines(keepends=True)[:1], VERSION)
    assert head.clusters == whole.clusters and head.cutoff == whole.cutoff and not head.blocks
