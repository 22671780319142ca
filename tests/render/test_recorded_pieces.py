"""A cluster whose facts are the ones the last render recorded renders from its recorded
pieces, without preparing them (no context built, no key made): a lint's render of a
large fleet. Whatever changed is prepared, and the objects are always a cold render's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

from mcgen.fleet.load import load_fleet
from mcgen.fleet.model import Fleet
from mcgen.output.caches import FleetCache
from mcgen.render import engine
from mcgen.render.engine import RenderedFleet, render_fleet
from mcgen.sources.registry import source_of


def spec(repo: Path) -> Path:
    return repo / "fleets" / "acme.yaml"


def rendered(repo: Path) -> Fleet:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert run_cli("render", "-q", cwd=repo).code == 0
    return load_fleet(str(spec(repo)))


def prepared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The clusters the render engine prepares from now on."""
    calls: list[str] = []
    real = engine.prepare

    def counted(fleet: Fleet, runs: engine.Runs, cluster: str) -> object:
        calls.append(cluster)
        return real(fleet, runs, cluster)

    monkeypatch.setattr(engine, "prepare", counted)
    return calls


def unkept(fleet: Fleet, done: RenderedFleet) -> set[str]:
    """The clusters with a piece of a source whose texts the memo never keeps, or whose
    pieces must be prepared (not `recallable`)."""
    return {o.cluster for o in done.objects if o.piece is not None and not (
        source_of(fleet.components[o.component]).memoized
        and source_of(fleet.components[o.component]).recallable)}


def seen(done: RenderedFleet) -> list[tuple[object, ...]]:
    """Each object, and the source line it came from (what a finding points at: a run
    that prepared nothing still reads its templates for that)."""
    return [(o.cluster, o.component, o.piece, o.ref, o.body, o.text, o.line,
             done.source_location(o, o.line)) for o in done.objects]


def test_unchanged_clusters_render_from_their_recorded_pieces(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fleet = rendered(example_repo)
    cold = render_fleet(fleet)
    calls = prepared(monkeypatch)
    done = render_fleet(fleet, FleetCache(fleet, reuse=False, recorded=True))
    # Only a cluster with a piece whose text is never kept (verbatim files may hold
    # secrets), or of a source that must prepare its pieces, is prepared.
    assert set(calls) == unkept(fleet, cold) and 0 < len(calls) < len(fleet.clusters)
    assert seen(done) == seen(cold)
    assert {c: k[:2] for c, k in done.cluster_keys.items()} == {
        c: k[:2] for c, k in cold.cluster_keys.items()}  # keys and pieces, as made anew
    calls.clear()
    without = render_fleet(fleet, FleetCache(fleet, reuse=False))  # nothing recorded asked
    assert sorted(calls) == sorted(fleet.clusters) and seen(without) == seen(cold)


def test_a_cluster_whose_values_changed_is_prepared_and_the_rest_are_not(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered(example_repo)
    text = spec(example_repo).read_text()
    values = "wave: 2\n      labels: {tier: performance}\n      values: {ingressClass: nginx}"
    assert values in text  # us-east's own values
    spec(example_repo).write_text(text.replace(values, values.replace("nginx", "traefik")))
    fleet = load_fleet(str(spec(example_repo)))
    cold = render_fleet(fleet)
    calls = prepared(monkeypatch)
    done = render_fleet(fleet, FleetCache(fleet, reuse=False, recorded=True))
    assert set(calls) == {"us-east"} | unkept(fleet, cold) != set(fleet.clusters)
    assert seen(done) == seen(cold)


def test_a_template_changed_since_prepares_every_cluster_that_uses_it(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered(example_repo)
    template = example_repo / "templates" / "storefront" / "service.yaml.j2"
    template.write_text(template.read_text().replace("port: 80", "port: 8081", 1))
    fleet = load_fleet(str(spec(example_repo)))
    calls = prepared(monkeypatch)
    done = render_fleet(fleet, FleetCache(fleet, reuse=False, recorded=True))
    assert sorted(calls) == sorted(fleet.clusters)  # the sources' inputs: every facts
    monkeypatch.undo()
    assert seen(done) == seen(render_fleet(fleet))


def test_recorded_pieces_whose_texts_are_gone_are_prepared(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fleet = rendered(example_repo)
    cache = FleetCache(fleet, reuse=False, recorded=True)
    assert cache.recorded_keys  # the last render's keys, though nothing is kept
    cache.texts.stored = {}  # the memo file lost: the pieces must be rendered again
    calls = prepared(monkeypatch)
    done = render_fleet(fleet, cache)
    assert sorted(calls) == sorted(fleet.clusters)
    monkeypatch.undo()
    assert seen(done) == seen(render_fleet(fleet))
