"""Faults: killed renders, a full disk, a read-only tree, two renders at once.

The guarantee (SECURITY.md): after any mcgen command has run, the tree is exactly the old
one or exactly the new one. A render killed after its commit point leaves a journal that
the next mcgen command replays before it reads the tree.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, snapshot

sys.path.insert(0, str(ROOT / "bench"))
from fleetgen import write_fleet

KILLS = int(os.environ.get("MCGEN_FAULT_KILLS", "25"))


def mcgen(repo: Path, *args: str, **extra: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mcgen", *args], cwd=repo, text=True,
                          capture_output=True, check=False, **extra)  # type: ignore[call-overload]


def tree(repo: Path) -> dict[str, bytes]:
    return snapshot(repo / "clusters")


@pytest.fixture
def fleet_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    write_fleet(repo, 24, 6)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: "{{ component.name }}"}
spec: {maxUnavailable: 1}
"""


def switch(repo: Path, version: str) -> None:
    """Old and new differ in file contents, and in files created and files removed."""
    spec = repo / "fleets" / "bench.yaml"
    text = spec.read_text()
    old, new = ("memory: 256Mi", "memory: 384Mi") if version == "new" else ("memory: 384Mi",
                                                                            "memory: 256Mi")
    spec.write_text(text.replace(old, new))
    created, removed = repo / "templates/comp00/pdb.yaml.j2", repo / "templates/comp01/_cm"
    configmap = repo / "templates/comp01/configmap.yaml.j2"
    if version == "new":
        created.write_text(PDB)
        configmap.replace(removed)
    else:
        created.unlink(missing_ok=True)
        if removed.exists():
            removed.replace(configmap)


def journal(repo: Path) -> Path:
    return repo / ".git" / "mcgen" / "journal.json"


def reader_view(seen: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes],
                pending: bool) -> str:
    """What a reader that is not mcgen sees right after a kill (SECURITY.md's wording).

    No journal: exactly the old or the new tree. A journal: every file whole, either its
    old or its new version, files common to both trees present; the set may be mixed.
    """
    if seen in (old, new):
        return "old" if seen == old else "new"
    assert pending, "a mixed tree with no journal to finish it"
    assert all(data in (old.get(path), new.get(path)) for path, data in seen.items()), \
        "a file that is neither its old nor its new version (torn write)"
    assert set(old) & set(new) <= set(seen), "a file of both trees went missing"
    return "mixed"


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_old_or_the_new_tree(fleet_repo: Path) -> None:
    switch(fleet_repo, "new")
    assert mcgen(fleet_repo, "render", "-q").returncode == 0
    new = tree(fleet_repo)
    switch(fleet_repo, "old")
    started = time.perf_counter()
    assert mcgen(fleet_repo, "render", "-q").returncode == 0
    duration = time.perf_counter() - started
    old = tree(fleet_repo)
    assert set(old) - set(new) and set(new) - set(old) and old != new
    chance = random.Random(20261124)
    seen_after_kill = {"old": 0, "new": 0, "mixed": 0}
    after_recovery = {"old": 0, "new": 0}
    recoveries_killed = 0
    for round_ in range(KILLS):
        switch(fleet_repo, "new")
        kill_at_random(fleet_repo, ["render", "-q"], chance.uniform(0.0, duration * 1.2))
        pending = journal(fleet_repo).exists()
        seen_after_kill[reader_view(tree(fleet_repo), old, new, pending)] += 1
        if pending and round_ % 2:
            # Recovery itself may be killed: replaying the journal is idempotent.
            kill_at_random(fleet_repo, ["render", "--check", "-q"],
                           chance.uniform(0.0, duration * 0.5))
            recoveries_killed += 1
        # Any mcgen command recovers first; a read-only check is enough.
        mcgen(fleet_repo, "render", "--check", "--no-diff", "-q")
        seen = tree(fleet_repo)
        assert seen in (old, new), "a killed render left a mixed tree"
        after_recovery["old" if seen == old else "new"] += 1
        assert not journal(fleet_repo).exists()
        assert not list((fleet_repo / ".git" / "mcgen").glob("staging-*"))
        switch(fleet_repo, "old")
        assert mcgen(fleet_repo, "render", "-q").returncode == 0
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=fleet_repo, capture_output=True, text=True, check=True).stdout
    assert all(line[3:].startswith(("clusters/", "fleets/", "templates/"))
               for line in status.splitlines()), status
    print(f"{KILLS} kills; right after: {seen_after_kill}; after recovery: {after_recovery}; "
          f"recoveries killed: {recoveries_killed}")


def kill_at_random(repo: Path, args: list[str], delay: float) -> None:
    process = subprocess.Popen([sys.executable, "-m", "mcgen", *args], cwd=repo,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def example_in(folder: Path) -> Path:
    for name in ("fleets", "templates", "charts", "policies", "crds", "clusters", "secrets"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def test_a_full_disk_is_a_clear_error_and_the_tree_is_intact(tmpfs: Path) -> None:
    repo = example_in(tmpfs)
    before = snapshot(repo)
    spec = repo / "fleets" / "acme.yaml"
    spec.write_text(spec.read_text().replace("logLevel: info", "logLevel: warn"))
    free = shutil.disk_usage(tmpfs).free
    (tmpfs / "filler").write_bytes(b"\0" * max(free - 4 * 1024, 0))
    result = mcgen(repo, "render")
    assert result.returncode == 2, result.stderr
    assert "no space left" in result.stderr and "unchanged" in result.stderr
    after = snapshot(repo)
    after.pop("filler")
    assert after == {**before, "fleets/acme.yaml": spec.read_bytes()}
    assert not list((repo / ".mcgen").glob("staging-*"))


def test_a_file_size_limit_is_a_clear_error(tmp_path: Path) -> None:
    import resource

    repo = example_in(tmp_path / "repo")
    before = snapshot(repo / "clusters")
    spec = repo / "fleets" / "acme.yaml"
    spec.write_text(spec.read_text().replace("logLevel: info", "logLevel: warn"))

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

    result = mcgen(repo, "render", preexec_fn=limit)
    assert result.returncode == 2, result.stderr
    assert "too large" in result.stderr and "unchanged" in result.stderr
    assert snapshot(repo / "clusters") == before


def test_a_read_only_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    repo = example_in(tmp_path / "repo")
    saved = tmp_path / "saved"
    shutil.copytree(repo / "clusters", saved)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs",
                              str(repo / "clusters")], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
    try:
        shutil.copytree(saved, repo / "clusters", dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(repo / "clusters")], check=True)
        before = snapshot(repo / "clusters")
        spec = repo / "fleets" / "acme.yaml"
        spec.write_text(spec.read_text().replace("logLevel: info", "logLevel: warn"))
        result = mcgen(repo, "render")
        assert result.returncode == 2, result.stderr
        assert "read-only" in result.stderr and "unchanged" in result.stderr
        assert snapshot(repo / "clusters") == before
    finally:
        subprocess.run(["umount", "-l", str(repo / "clusters")], check=False)


def test_two_renders_at_once_never_mix(fleet_repo: Path) -> None:
    switch(fleet_repo, "new")
    runs = [subprocess.Popen([sys.executable, "-m", "mcgen", "render", "-q"], cwd=fleet_repo,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = [run.wait() for run in runs]
    assert codes == [0, 0], [run.stderr.read() if run.stderr else "" for run in runs]
    assert mcgen(fleet_repo, "render", "--check", "-q").returncode == 0


@pytest.mark.slow
def _holding_the_lock(repo: Path, process: subprocess.Popen[str], delay: float) -> None:
    """Wait until `process` holds the write lock (it has read all its inputs: a render
    reads, then locks and writes), then `delay` more. Inputs changed while a render
    still reads them make a tree of neither version, which no generator can avoid; what
    the next render --check makes of that is test_an_input_edited_during_a_render_..."""
    import fcntl

    lock = repo / ".git" / "mcgen" / "lock"
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        with open(lock, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                break  # held: the render is writing
            fcntl.flock(handle, fcntl.LOCK_UN)
        time.sleep(0.002)
    time.sleep(delay)


def test_two_renders_of_different_inputs_leave_one_whole_tree(fleet_repo: Path) -> None:
    switch(fleet_repo, "new")
    assert mcgen(fleet_repo, "render", "-q").returncode == 0
    new = tree(fleet_repo)
    switch(fleet_repo, "old")
    assert mcgen(fleet_repo, "render", "-q").returncode == 0
    old = tree(fleet_repo)
    seen = set()
    for delay in (0.0, 0.05, 0.1, 0.2, 0.4):
        first = subprocess.Popen([sys.executable, "-m", "mcgen", "render", "-q"],
                                 cwd=fleet_repo, stderr=subprocess.PIPE, text=True)
        _holding_the_lock(fleet_repo, first, delay)
        switch(fleet_repo, "new")  # the second render reads other inputs
        second = subprocess.Popen([sys.executable, "-m", "mcgen", "render", "-q"],
                                  cwd=fleet_repo, stderr=subprocess.PIPE, text=True)
        assert [first.wait(), second.wait()] == [0, 0]
        result = tree(fleet_repo)
        assert result in (old, new), "two renders at once left a mixed tree"
        seen.add("old" if result == old else "new")
        switch(fleet_repo, "old")
        assert mcgen(fleet_repo, "render", "-q").returncode == 0
    assert "new" in seen  # the later render, holding the lock last, wins at least once


def test_a_held_lock_makes_render_wait_then_fail_clearly(fleet_repo: Path) -> None:
    import fcntl

    assert mcgen(fleet_repo, "render", "-q").returncode == 0
    switch(fleet_repo, "new")
    before = tree(fleet_repo)
    with open(fleet_repo / ".git" / "mcgen" / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = mcgen(fleet_repo, "render", env={**os.environ, "MCGEN_LOCK_WAIT": "0.5"})
    assert result.returncode == 2 and "another mcgen is rendering" in result.stderr
    assert tree(fleet_repo) == before


def test_an_input_edited_during_a_render_is_never_recorded_as_rendered(
        fleet_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The no-op fingerprint is taken before the render reads its inputs: an edit made
    while it renders makes the next `render --check` look, and find the tree stale."""
    from conftest import run_cli

    from mcgen.render.engine import FleetRender

    assert mcgen(fleet_repo, "render", "-q").returncode == 0
    real = FleetRender.part

    def edited_meanwhile(self: FleetRender, clusters: list[str]) -> object:
        rendered = real(self, clusters)
        switch(fleet_repo, "new")  # saved by an editor after the render read it
        return rendered

    switch(fleet_repo, "old")
    template = fleet_repo / "templates" / "comp02" / "configmap.yaml.j2"
    template.write_text(template.read_text() + "  edited: \"yes\"\n")
    monkeypatch.setattr(FleetRender, "part", edited_meanwhile)
    assert run_cli("render", "-q", cwd=fleet_repo).code == 0
    monkeypatch.setattr(FleetRender, "part", real)
    check = run_cli("render", "--check", "--no-diff", cwd=fleet_repo)
    assert check.code == 1, check.out + check.err
    assert "[output-drift]" in check.out
