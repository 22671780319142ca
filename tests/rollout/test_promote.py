"""Wave refs in real git with a bare remote: a merge reaches no wave until promoted, and
promotion walks the waves in order."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import run_cli

from mcgen import gitrepo
from mcgen.errors import UsageError
from mcgen.rollout.promote import PromoteRequest, promote
from rollout.wavefleet import applied_image, git, make_repo, merge_change, remote_ref

pytestmark = pytest.mark.slow
T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_a_merge_changes_no_wave_until_promoted(tmp_path: Path) -> None:
    work, remote = make_repo(tmp_path)
    first = git(work, "rev-parse", "HEAD")
    assert run_cli("promote", "--wave", "1", "--push", cwd=work).code == 0
    assert remote_ref(remote, "mcgen/wave-1") == first
    merge_change(work, "nginx:1.27.1")
    assert remote_ref(remote, "mcgen/wave-1") == first
    assert applied_image(remote, "mcgen/wave-1", "canary") == "nginx:1.27.0"
    assert run_cli("promote", "--wave", "1", "--push", cwd=work).code == 0
    assert applied_image(remote, "mcgen/wave-1", "canary") == "nginx:1.27.1"


def test_promote_walks_the_waves_in_order_and_refuses_to_skip(tmp_path: Path) -> None:
    work, remote = make_repo(tmp_path)
    skipped = run_cli("promote", "--wave", "2", "--push", cwd=work)
    assert skipped.code == 2
    assert "wave 1 has no ref yet" in skipped.err
    assert remote_ref(remote, "mcgen/wave-2") is None
    first = git(work, "rev-parse", "HEAD")
    assert run_cli("promote", "--wave", "1", "--push", cwd=work).code == 0
    second = merge_change(work, "nginx:1.27.1")
    assert run_cli("promote", "--wave", "3", "--push", cwd=work).code == 2  # wave 2 has none
    assert run_cli("promote", "--wave", "2", "--push", cwd=work).code == 0
    assert remote_ref(remote, "mcgen/wave-2") == first  # what wave 1 runs, not main's head
    ahead = run_cli("promote", "--wave", "2", "--to", second, "--push", cwd=work)
    assert ahead.code == 2
    assert "wave 1 has not reached" in ahead.err
    for wave in ("1", "2", "3"):
        assert run_cli("promote", "--wave", wave, "--push", cwd=work).code == 0
        assert remote_ref(remote, f"mcgen/wave-{wave}") == second
    assert applied_image(remote, "mcgen/wave-3", "west") == "nginx:1.27.1"


def test_waves_prints_what_each_wave_runs(tmp_path: Path) -> None:
    work, _ = make_repo(tmp_path)
    assert run_cli("promote", "--wave", "1", "--push", cwd=work).code == 0
    merge_change(work, "nginx:1.27.1")
    shown = run_cli("waves", "--remote", "origin", cwd=work)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0].startswith("wave 1 (mcgen/wave-1: canary): ")
    assert "shop fleet" in lines[0] and "1 commit(s) on main waiting" in lines[0]
    assert lines[1] == ("wave 2 (mcgen/wave-2: east): nothing yet (no ref); "
                        "1 commit(s) on wave before it waiting")
    assert lines[2].startswith("wave 3 (mcgen/wave-3: west): nothing yet (no ref)")


def test_local_promotion_moves_only_the_local_ref(tmp_path: Path) -> None:
    work, remote = make_repo(tmp_path)
    done = run_cli("promote", "--wave", "1", cwd=work)
    assert done.code == 0 and "(local; --push" in done.out
    assert git(work, "rev-parse", "mcgen/wave-1") == git(work, "rev-parse", "main")
    assert remote_ref(remote, "mcgen/wave-1") is None


def test_a_ref_moved_elsewhere_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    work, remote = make_repo(tmp_path)
    assert run_cli("promote", "--wave", "1", "--push", cwd=work).code == 0
    fetched = remote_ref(remote, "mcgen/wave-1")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    moved = merge_change(other, "nginx:1.27.1")
    git(other, "push", "-q", "origin", "main:mcgen/wave-1")  # by hand, after our fetch
    repo = gitrepo.open_repo(str(work))
    with pytest.raises(UsageError, match="someone else moved a wave ref"):
        gitrepo.push(repo, "origin", [(str(fetched), "refs/heads/mcgen/wave-1", fetched)])
    assert remote_ref(remote, "mcgen/wave-1") == moved
    again = promote(PromoteRequest(1, str(work), push=True, now=T0))  # fetches first
    assert (again.old, again.new, again.carried) == (moved, moved, ())


def test_soak_is_judged_from_the_promotion_log(tmp_path: Path) -> None:
    work, remote = make_repo(tmp_path, "    soak: 24h\n")
    promote(PromoteRequest(1, str(work), push=True, now=T0))
    with pytest.raises(UsageError, match=r"has run .* for 23h59m, less than .*soak \(24h00m\)"):
        promote(PromoteRequest(2, str(work), push=True,
                               now=T0 + datetime.timedelta(hours=23, minutes=59)))
    shown = run_cli("waves", "--remote", "origin", cwd=work)
    assert "on wave before it waiting (soaked at 2026-03-03T09:00+00:00)" in shown.out
    done = promote(PromoteRequest(2, str(work), push=True, now=T0 + datetime.timedelta(hours=24)))
    assert done.new == remote_ref(remote, "mcgen/wave-1")
    log = git(remote, "log", "--format=%cI %s", "mcgen/rollout-log")
    assert log.splitlines() == [
        f"2026-03-03T09:00:00Z promote wave 2 to {done.new}".replace("Z", "+00:00"),
        f"2026-03-02T09:00:00Z promote wave 1 to {done.new}".replace("Z", "+00:00")]


def test_a_frozen_wave_is_not_promoted(tmp_path: Path) -> None:
    freeze = ('    freeze:\n      - {from: "2026-03-02T00:00", to: "2026-03-03T00:00", '
              'waves: [1], reason: "quarter close"}\n')
    work, remote = make_repo(tmp_path, freeze)
    with pytest.raises(UsageError, match=r"wave 1 is frozen until 2026-03-03T00:00.*quarter"):
        promote(PromoteRequest(1, str(work), push=True, now=T0))
    assert remote_ref(remote, "mcgen/wave-1") is None
    promote(PromoteRequest(1, str(work), push=True,
                           now=datetime.datetime(2026, 3, 3, tzinfo=datetime.UTC)))
    assert remote_ref(remote, "mcgen/wave-1") is not None


def test_bad_requests_exit_2_with_a_reason(tmp_path: Path) -> None:
    work, _ = make_repo(tmp_path)
    unknown = run_cli("promote", "--wave", "9", cwd=work)
    assert (unknown.code, "has no wave 9 (waves: 1, 2, 3)" in unknown.err) == (2, True)
    spec = work / "fleets" / "shop.yaml"
    spec.write_text(spec.read_text().replace("  rollout:\n    flux: {waveRefs: true}\n", ""))
    git(work, "commit", "-qam", "no wave refs")
    unstaged = run_cli("waves", cwd=work)
    assert unstaged.code == 2 and "no fleet sets spec.rollout.flux.waveRefs" in unstaged.err
    elsewhere = run_cli("promote", "--wave", "1", cwd=tmp_path)
    assert elsewhere.code == 2 and "not inside a git repository" in elsewhere.err
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    fresh = run_cli("waves", cwd=empty)
    assert fresh.code == 2 and "no commit yet" in fresh.err
    missing = run_cli("promote", "--wave", "1", "--push", "--remote", "nowhere", cwd=work)
    assert missing.code == 2 and "git fetch nowhere failed" in missing.err
    assert "Traceback" not in unknown.err + unstaged.err + elsewhere.err + fresh.err
