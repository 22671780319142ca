"""`mcgen vendor` against a real chart repository served on loopback."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

from helm.chartrepo import fleet_repo, index, publish, serving
from helm.helmcharts import needs_sdk
from helm.ociregistry import needs_registry, registry
from mcgen.fleet.load import load_fleet
from mcgen.helm.lock import lock_problems
from mcgen.helm.native import push

pytestmark = [needs_sdk, pytest.mark.slow]


def two_versions(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    publish(repo, "hello", "1.0.0")
    publish(repo, "hello", "1.1.0", greeting="hi")
    return repo


def test_pulls_pins_and_is_idempotent_offline(tmp_path: Path) -> None:
    repo = two_versions(tmp_path)
    with serving(repo) as url:
        index(repo, url)
        fleet = fleet_repo(tmp_path / "fleet", ("hello", url, "1.0.0"))
        first = run_cli("vendor", cwd=fleet)
        assert first.code == 0, first.err
        assert "pulled hello 1.0.0" in first.err
    lock = (fleet / "charts.lock").read_text()
    assert "version: 1.0.0" in lock and "digest: sha256:" in lock and "files: sha256:" in lock
    assert (fleet / "charts" / "hello" / "Chart.yaml").is_file()
    before = snapshot(fleet)
    stamp = os.stat(fleet / "charts.lock").st_mtime_ns
    # the repository is down now: nothing is fetched, nothing changes
    again = run_cli("vendor", cwd=fleet)
    assert again.code == 0, again.err
    assert "0 pulled, 1 already vendored" in again.err
    assert snapshot(fleet) == before
    assert os.stat(fleet / "charts.lock").st_mtime_ns == stamp
    assert not list(lock_problems(load_fleet(str(fleet / "fleets" / "demo.yaml"))))


def test_a_bumped_pin_replaces_the_chart(tmp_path: Path) -> None:
    repo = two_versions(tmp_path)
    with serving(repo) as url:
        index(repo, url)
        fleet = fleet_repo(tmp_path / "fleet", ("hello", url, "1.0.0"))
        assert run_cli("vendor", cwd=fleet).code == 0
        spec = fleet / "fleets" / "demo.yaml"
        spec.write_text(spec.read_text().replace('"1.0.0"', '"1.1.0"'))  # what Renovate does
        stale = list(lock_problems(load_fleet(str(spec))))
        assert stale and "run `mcgen vendor`" in stale[0].message
        assert stale[0].location.path == "fleets/demo.yaml"
        assert run_cli("vendor", cwd=fleet).code == 0
    assert "greeting: hi" in (fleet / "charts" / "hello" / "values.yaml").read_text()
    assert "version: 1.1.0" in (fleet / "charts.lock").read_text()
    assert not list(lock_problems(load_fleet(str(spec))))


def test_an_archive_that_does_not_match_the_index_is_refused(tmp_path: Path) -> None:
    repo = two_versions(tmp_path)
    with serving(repo) as url:
        index(repo, url)
        # the archive changes after the index was made: a tampered or re-published chart
        publish(repo, "hello", "1.0.0", greeting="tampered")
        fleet = fleet_repo(tmp_path / "fleet", ("hello", url, "1.0.0"))
        before = snapshot(fleet)
        result = run_cli("vendor", cwd=fleet)
    assert result.code == 2
    assert "fleets/demo.yaml:10:" in result.err
    assert "does not match the repository's index" in result.err
    assert snapshot(fleet) == before
    assert not (fleet / "charts").exists() and not (fleet / "charts.lock").exists()


def test_a_missing_version_names_those_there_are(tmp_path: Path) -> None:
    repo = two_versions(tmp_path)
    with serving(repo) as url:
        index(repo, url)
        fleet = fleet_repo(tmp_path / "fleet", ("hello", url, "9.9.9"))
        result = run_cli("vendor", cwd=fleet)
    assert result.code == 2
    assert "has no version 9.9.9" in result.err and "1.0.0, 1.1.0" in result.err
    assert not (fleet / "charts.lock").exists()


def test_a_repository_that_is_down_is_an_input_error(tmp_path: Path) -> None:
    repo = two_versions(tmp_path)
    with serving(repo) as url:
        index(repo, url)
    fleet = fleet_repo(tmp_path / "fleet", ("hello", url, "1.0.0"))
    result = run_cli("vendor", cwd=fleet)
    assert result.code == 2
    assert "cannot fetch chart hello 1.0.0" in result.err and "refused" in result.err
    assert not (fleet / "charts").exists() and not (fleet / "charts.lock").exists()


def test_own_charts_are_never_overwritten_and_unpinned_ones_go(tmp_path: Path) -> None:
    repo = two_versions(tmp_path)
    with serving(repo) as url:
        index(repo, url)
        fleet = fleet_repo(tmp_path / "fleet", ("hello", url, "1.0.0"))
        (fleet / "charts" / "hello").mkdir(parents=True)
        (fleet / "charts" / "hello" / "Chart.yaml").write_text("name: mine\n")
        refused = run_cli("vendor", cwd=fleet)
        assert refused.code == 2 and "did not write it" in refused.err
        assert (fleet / "charts" / "hello" / "Chart.yaml").read_text() == "name: mine\n"
        (fleet / "charts" / "hello" / "Chart.yaml").unlink()
        (fleet / "charts" / "hello").rmdir()
        assert run_cli("vendor", cwd=fleet).code == 0
    spec = fleet / "fleets" / "demo.yaml"
    spec.write_text(spec.read_text().split("  charts:")[0])
    gone = run_cli("vendor", cwd=fleet)
    assert gone.code == 0 and "removed hello 1.0.0" in gone.err
    assert not (fleet / "charts" / "hello").exists()


def test_a_vendored_chart_edited_by_hand_fails_the_lock(tmp_path: Path) -> None:
    repo = two_versions(tmp_path)
    with serving(repo) as url:
        index(repo, url)
        fleet = fleet_repo(tmp_path / "fleet", ("hello", url, "1.0.0"))
        assert run_cli("vendor", cwd=fleet).code == 0
    values = fleet / "charts" / "hello" / "values.yaml"
    values.write_text("greeting: edited\n")
    (problem,) = lock_problems(load_fleet(str(fleet / "fleets" / "demo.yaml")))
    assert problem.location.path == "charts/hello"
    assert "does not match charts.lock" in problem.message
    restored = run_cli("vendor", cwd=fleet)  # the repository is down: it cannot restore
    assert restored.code == 2


@needs_registry
def test_oci_registry_pull_and_lock(tmp_path: Path) -> None:
    archive = publish(tmp_path / "built", "hello", "1.0.0")
    with registry(tmp_path / "registry") as host:
        push(str(archive), f"oci://{host}/charts")
        fleet = fleet_repo(tmp_path / "fleet", ("hello", f"oci://{host}/charts", "1.0.0"))
        result = run_cli("vendor", cwd=fleet)
        assert result.code == 0, result.err
        missing = fleet_repo(tmp_path / "missing", ("hello", f"oci://{host}/charts", "2.0.0"))
        absent = run_cli("vendor", cwd=missing)
    lock = (fleet / "charts.lock").read_text()
    assert f"repo: oci://{host}/charts" in lock
    assert f"digest: sha256:{hashlib.sha256(archive.read_bytes()).hexdigest()}" in lock
    assert (fleet / "charts" / "hello" / "templates" / "cm.yaml").is_file()
    assert absent.code == 2 and "cannot fetch chart hello 2.0.0" in absent.err
    down = run_cli("vendor", cwd=missing)  # the registry is gone
    assert down.code == 2 and "cannot fetch" in down.err
