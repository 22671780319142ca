"""The stat index spares reading and emitting files mcgen left alone, and misses no edit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from mcgen.fleet.load import load_fleet
from mcgen.output.fastcheck import FINE_TICK_NS, load_index
from mcgen.output.files import FileStat
from mcgen.output.layout import build_tree
from mcgen.output.tree import plan_tree
from mcgen.parallel import MIN_PER_WORKER
from mcgen.render.engine import render_fleet

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

STOREFRONT = "clusters/us-west/storefront/service-storefront.yaml"


def rendered_repo(repo: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert run_cli("render", "-q", cwd=repo).code == 0
    return repo / "fleets" / "acme.yaml"


def settled(repo: Path) -> None:
    """Past the racy window, then a render that re-reads and re-records every file."""
    time.sleep(2 * FINE_TICK_NS / 1e9)
    assert run_cli("render", "-q", cwd=repo).code == 0
    time.sleep(2 * FINE_TICK_NS / 1e9)


def test_a_same_size_edit_keeping_the_old_time_is_found(example_repo: Path) -> None:
    rendered_repo(example_repo)
    settled(example_repo)
    target = example_repo / STOREFRONT
    before = target.stat()
    text = target.read_text()
    edited = text.replace("port: 80", "port: 81", 1)
    assert edited != text and len(edited) == len(text)
    target.write_text(edited)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or tar would
    run = run_cli("render", "--check", cwd=example_repo)
    assert run.code == 1
    assert f"{STOREFRONT}:" in run.out and "edited by hand" in run.out


class Unmade:
    """A planned file whose text must not be needed."""

    def __init__(self, key: str, verbatim: bool) -> None:
        self.key = key
        self.verbatim = verbatim  # a verbatim file's stamp is planned in its sidecar

    @property
    def text(self) -> str:
        raise AssertionError("emitted a file the stat index knows")


def test_files_as_mcgen_left_them_are_neither_read_nor_emitted(example_repo: Path) -> None:
    spec = rendered_repo(example_repo)
    settled(example_repo)
    fleet = load_fleet(str(spec))
    files = build_tree(render_fleet(fleet))
    known = load_index(str(example_repo), str(spec)).known
    assert set(known) >= set(files)
    planned = {path: Unmade(f.key, f.verbatim is not None) for path, f in files.items()}
    plan = plan_tree(str(example_repo), fleet.name, fleet.spec_path, fleet.output.dir,
                     planned, known)
    assert plan.clean and not plan.hand_edited
    assert plan.current == {} and plan.read == 0  # nothing was read
    # Without the index every file is read and compared, with the same verdict.
    plain = plan_tree(str(example_repo), fleet.name, fleet.spec_path, fleet.output.dir,
                      dict(files))
    sidecars = sum(f.verbatim is not None for f in files.values())
    assert sidecars  # the example has a verbatim (encrypted) file, stamped in a sidecar
    assert plain.clean and plain.read == len(files) + sidecars and plain.current == {}


def test_a_changed_value_changes_the_key_of_exactly_its_files(example_repo: Path) -> None:
    spec = example_repo / "fleets" / "acme.yaml"
    before = {p: f.key for p, f in build_tree(render_fleet(load_fleet(str(spec)))).items()}
    spec.write_text(spec.read_text().replace('version: "2.4.1"', 'version: "2.4.2"', 1))
    files = build_tree(render_fleet(load_fleet(str(spec))))
    changed = {p for p, f in files.items() if f.key != before[p]}
    differs = {p for p, f in files.items() if f.text != _text_before(example_repo, p)}
    assert changed == differs and changed
    assert all("/storefront/" in p for p in changed)


def _text_before(repo: Path, path: str) -> str:
    """The file's text as rendered, without the stamp mcgen ends it with (a verbatim file
    has its stamp in a sidecar, so its text is all of it)."""
    text = (repo / path).read_text()
    stamp = text.rfind("# mcgen: ")
    return text if stamp < 0 else text[:stamp]


def test_a_render_over_workers_records_each_file_as_it_landed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers that move the staged files in stat them there (a rename changes a
    file's ctime), and the index records those stats: each is the file's on disk."""
    monkeypatch.setenv("MCGEN_JOBS", "2")
    write_fleet(tmp_path, 200, 4)
    assert run_cli("render", "-q", cwd=tmp_path).code == 0
    known = load_index(str(tmp_path), str(tmp_path / "fleets" / "bench.yaml")).known
    assert len(known) >= 2 * MIN_PER_WORKER  # enough moves for two workers
    for path, entry in known.items():
        assert entry.stat == FileStat.of(os.lstat(tmp_path / path)).text, path
