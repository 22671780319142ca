"""What the state folder's files hold is read once while they stay as they are (the
parts of a lint, forked from one process, inherit it), and again once one is replaced."""

from __future__ import annotations

import os
from pathlib import Path

from mcgen.output import caches


def test_a_state_file_is_read_once_until_it_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "render-x.json"
    path.write_text("one")
    reads: list[str] = []

    def load() -> str:
        reads.append(path.read_text())
        return reads[-1]

    assert caches._read_once(str(path), load) == "one"
    assert caches._read_once(str(path), load) == "one"
    assert reads == ["one"]
    replacement = tmp_path / "render-x.json.tmp"
    replacement.write_text("two!")
    os.replace(replacement, path)  # as mcgen writes its state: a new file
    assert caches._read_once(str(path), load) == "two!"
    assert reads == ["one", "two!"]
    path.unlink()
    assert caches._read_once(str(path), lambda: "none there") == "none there"
