"""The no-op `render --check` answers from its record, before the CLI loads, and misses
no edit: of a file's bytes (even keeping its times), an added file, a removed one, an
input (`mcgen.output.noop`, `mcgen.fastpath`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli

from mcgen.output.noop import FINE_TICK_NS, Folder, clean, load_record, read_folder

STOREFRONT = "clusters/us-west/storefront/service-storefront.yaml"
SPEC = "fleets/acme.yaml"


def settle() -> None:
    time.sleep(2 * FINE_TICK_NS / 1e9)


def recorded(repo: Path) -> Path:
    """The example rendered, then checked clean once past the racy window (that check
    records every file as trusted by its stat)."""
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert run_cli("render", "-q", cwd=repo).code == 0
    settle()
    assert run_cli("render", "--check", "-q", cwd=repo).code == 0
    settle()
    assert clean(str(repo), str(repo / SPEC))
    return repo


def check(repo: Path) -> subprocess.CompletedProcess[str]:
    """`mcgen render --check` as the hook runs it: a new process."""
    return subprocess.run([sys.executable, "-m", "mcgen", "render", "--check", "--no-diff"],
                          cwd=repo, text=True, capture_output=True, timeout=300, check=False)


def test_a_clean_tree_is_answered_without_loading_the_renderer(example_repo: Path) -> None:
    repo = recorded(example_repo)
    probe = ("import sys; from mcgen.fastpath import check; "
             "code = check(['render', '--check', '-q']); "
             "print(code, sorted(m for m in ('jinja2', 'click', 'ruamel', 'yaml', 'jsonschema')"
             " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo, text=True,
                          capture_output=True, check=True)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr
    result = check(repo)
    assert result.returncode == 0 and "acme: the tree is up to date" in result.stderr


def test_an_edit_keeping_size_and_times_is_found(example_repo: Path) -> None:
    repo = recorded(example_repo)
    target = repo / STOREFRONT
    before = target.stat()
    text = target.read_text()
    edited = text.replace("port: 80", "port: 81", 1)
    assert edited != text and len(edited) == len(text)
    target.write_text(edited)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` would
    assert not clean(str(repo), str(repo / SPEC))
    result = check(repo)
    assert result.returncode == 1 and STOREFRONT in result.stdout


def test_a_file_of_the_fleet_added_by_hand_is_found(example_repo: Path) -> None:
    """A stamped file a merge brought in (here: a copy in a folder of its own) is the
    fleet's to remove: the folder's times changed, so the full check runs and says so."""
    repo = recorded(example_repo)
    stray = repo / "clusters" / "us-west" / "gone" / "service-storefront.yaml"
    stray.parent.mkdir()
    shutil.copy2(repo / STOREFRONT, stray)
    assert not clean(str(repo), str(repo / SPEC))
    result = check(repo)
    assert result.returncode == 1 and "clusters/us-west/gone/service-storefront.yaml" in (
        result.stdout)


def test_a_removed_file_and_a_changed_input_are_found(example_repo: Path) -> None:
    repo = recorded(example_repo)
    (repo / STOREFRONT).unlink()
    assert not clean(str(repo), str(repo / SPEC))
    assert check(repo).returncode == 1
    assert run_cli("render", "-q", cwd=repo).code == 0
    settle()
    assert run_cli("render", "--check", "-q", cwd=repo).code == 0
    template = repo / "templates" / "storefront" / "service.yaml.j2"
    template.write_text(template.read_text().replace("80", "81"))
    assert not clean(str(repo), str(repo / SPEC))
    assert check(repo).returncode == 1


def test_a_file_written_just_before_the_record_is_read_not_trusted(example_repo: Path
                                                                     ) -> None:
    """Right after a render, the files it wrote are too recent to trust by their stat
    (a write in the same timestamp tick leaves it unchanged): they are read."""
    subprocess.run(["git", "init", "-q", str(example_repo)], check=True)
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    assert clean(str(example_repo), str(example_repo / SPEC))  # read, and found as written
    target = example_repo / STOREFRONT
    before = target.stat()
    target.write_text(target.read_text().replace("port: 80", "port: 81", 1))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not clean(str(example_repo), str(example_repo / SPEC))


@pytest.mark.parametrize("argv", [["render", "--check", "--debug"], ["render"],
                                  ["render", "--check", "--shard", "1/2"], ["lint"]])
def test_other_command_lines_are_left_to_the_cli(example_repo: Path, argv: list[str]) -> None:
    from mcgen.fastpath import check as fast

    repo = recorded(example_repo)
    previous = os.getcwd()
    os.chdir(repo)
    try:
        assert fast(argv) is None
    finally:
        os.chdir(previous)


def test_a_folder_name_no_record_line_can_hold_makes_no_record(example_repo: Path) -> None:
    """The record keeps a folder as one line of tab-separated fields: a folder whose name
    holds a tab or a line break (a stray one, not the fleet's) leaves no record, so every
    check looks, and says what it finds."""
    repo = recorded(example_repo)
    stray = repo / "clusters" / "us-west" / "odd\nclusters\t-\tname"
    stray.mkdir()  # empty: no file's path names it
    assert run_cli("render", "--check", "-q", cwd=repo).code == 0  # nothing of the fleet's
    settle()
    assert load_record(str(repo), str(repo / SPEC)) is None
    assert not clean(str(repo), str(repo / SPEC))
    assert check(repo).returncode == 0
    assert stray.is_dir()


@pytest.mark.parametrize("line", [
    "", "clusters", "clusters\t1\t2\t3\tdigest\tnames",  # too few fields
    "clusters\t1\t2\t3\tdigest\ta/b\tlisting",  # a listing must begin with "/"
    "clusters\tnot-absent\tdigest\t\t",  # one stat field must be ABSENT
])
def test_a_line_that_is_no_folder_is_refused(line: str) -> None:
    assert read_folder(line) is None


def test_a_recent_folder_keeps_its_listing_even_an_empty_one() -> None:
    assert read_folder("c\t1\t2\t3\td\ta/b\t/a/b/sub") == Folder(
        "c", "1\t2\t3", "d", ["a", "b"], ["a", "b", "sub"])
    assert read_folder("c\t1\t2\t3\td\t\t/") == Folder("c", "1\t2\t3", "d", [], [])
    assert read_folder("c\t1\t2\t3\td\t\t") == Folder("c", "1\t2\t3", "d", [], None)
    assert read_folder("c/gone\t-\td\t\t") == Folder("c/gone", "-", "d", [], None)
