"""Clusters whose key and files are as the last render left them are not rendered again."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import cold_tree, run_cli, snapshot

from mcgen.fastpath import judge_early
from mcgen.fleet.load import load_fleet
from mcgen.output import subtrees
from mcgen.output.caches import FleetCache, judge_ahead
from mcgen.output.fastcheck import FINE_TICK_NS
from mcgen.output.subtrees import TreeJudge
from mcgen.output.transaction import locked
from mcgen.pipeline import RenderRequest, render
from mcgen.render.engine import FleetRender

EDITED = "clusters/us-west/storefront/service-storefront.yaml"


def settle() -> None:
    """Past the racy window of the last record (see `mcgen.output.fastcheck`)."""
    time.sleep(2 * FINE_TICK_NS / 1e9)


def rendered_repo(repo: Path) -> None:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert run_cli("render", "-q", cwd=repo).code == 0
    settle()
    assert run_cli("render", "-q", cwd=repo).code == 0  # records every file as trusted
    settle()


@pytest.fixture(params=["judged-when-asked", "judged-ahead"], autouse=True)
def judging(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
            ) -> Iterator[str]:
    """Every test twice: the tree judged in this process when the render asks, and in
    second processes while the fleet loads (`mcgen.output.subtrees.TreeJudge`), which a
    fleet this small would not otherwise start."""
    if request.param == "judged-ahead":
        monkeypatch.setattr(subtrees, "LINES_PER_PROCESS", 1)
        monkeypatch.setenv("MCGEN_JOBS", "2")
    else:
        monkeypatch.setenv("MCGEN_JOBS", "1")
    yield request.param


def change_eu_west(repo: Path) -> None:
    spec = repo / "fleets" / "acme.yaml"
    text = spec.read_text()
    start = text.index("    - name: eu-west")
    changed = text[start:].replace("ingressClass: nginx", "ingressClass: traefik", 1)
    spec.write_text(text[:start] + changed)


def test_only_the_changed_cluster_is_rendered(example_repo: Path, tmp_path: Path) -> None:
    rendered_repo(example_repo)
    change_eu_west(example_repo)
    result = render(RenderRequest(cwd=str(example_repo)))
    assert result.outputs[0].rendered.reused == {"us-west", "us-east"}
    assert result.outputs[0].plan.writes  # eu-west's files
    assert all(p.startswith("clusters/eu-west/") or p.endswith(".json")
               for p in result.outputs[0].plan.writes)
    assert snapshot(example_repo / "clusters") == cold_tree(example_repo, tmp_path)


def test_a_hand_edit_in_an_unchanged_cluster_is_still_undone(example_repo: Path,
                                                              tmp_path: Path) -> None:
    rendered_repo(example_repo)
    (example_repo / EDITED).write_text("edited by hand\n")
    (example_repo / "clusters/us-east/storefront/kustomization.yaml").unlink()
    change_eu_west(example_repo)
    assert run_cli("render", "--check", "-q", cwd=example_repo).code == 1
    result = render(RenderRequest(cwd=str(example_repo)))
    assert result.outputs[0].rendered.reused == frozenset()  # rendered whole again
    assert snapshot(example_repo / "clusters") == cold_tree(example_repo, tmp_path)


def test_a_changed_template_renders_every_cluster_using_it(example_repo: Path) -> None:
    rendered_repo(example_repo)
    template = example_repo / "templates" / "storefront" / "service.yaml.j2"
    template.write_text(template.read_text().replace("port: 80", "port: 8081", 1))
    result = render(RenderRequest(cwd=str(example_repo)))
    assert result.outputs[0].rendered.reused == {"eu-west"}  # no storefront there
    assert "port: 8081" in (example_repo / EDITED).read_text()


PEERS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: peers
data:
  tiers: "{% for c in fleet.clusters %}{{ c.name }}={{ c.labels.tier }} {% endfor %}"
"""


def test_a_cluster_reading_another_clusters_facts_is_rendered_again(example_repo: Path
                                                                   ) -> None:
    """A cluster's recorded key is reused only while the fleet's facts are unchanged:
    us-west's own values did not change, but what its template reads of eu-west did."""
    (example_repo / "templates" / "storefront" / "peers.yaml.j2").write_text(PEERS)
    rendered_repo(example_repo)
    spec = example_repo / "fleets" / "acme.yaml"
    text = spec.read_text()
    start = text.index("    - name: eu-west")
    spec.write_text(text[:start] + text[start:].replace("tier: ", "tier: x", 1))
    result = render(RenderRequest(cwd=str(example_repo)))
    assert result.outputs[0].rendered.reused == frozenset()
    peers = example_repo / "clusters/us-west/storefront/configmap-peers.yaml"
    assert "eu-west=x" in peers.read_text()


def test_a_values_change_keeps_only_the_other_clusters(example_repo: Path, tmp_path: Path
                                                       ) -> None:
    """The common edit: one cluster's own values. Its key is made again; the others'
    recorded keys stand, and the tree is the one a cold render makes."""
    rendered_repo(example_repo)
    spec = example_repo / "fleets" / "acme.yaml"
    text = spec.read_text()
    start = text.index("    - name: us-east")
    spec.write_text(text[:start] + text[start:].replace("ingressClass: nginx",
                                                        "ingressClass: haproxy", 1))
    result = render(RenderRequest(cwd=str(example_repo)))
    assert result.outputs[0].rendered.reused == {"us-west", "eu-west"}
    assert snapshot(example_repo / "clusters") == cold_tree(example_repo, tmp_path)


def test_a_file_a_merge_brought_into_an_unchanged_cluster_is_still_removed(
        example_repo: Path, tmp_path: Path) -> None:
    """A kept cluster's folder is passed over by the plan only if nothing in it was
    added, removed or edited since the record: a stamped copy in it (as a merge brings)
    makes the cluster's folder be listed again, and the copy is the fleet's to remove."""
    rendered_repo(example_repo)
    copy = example_repo / "clusters/us-east/storefront/copy-of-service.yaml"
    copy.write_bytes((example_repo / "clusters/us-east/storefront/service-storefront.yaml"
                      ).read_bytes())
    change_eu_west(example_repo)
    result = render(RenderRequest(cwd=str(example_repo)))
    assert result.outputs[0].rendered.reused == {"us-west"}
    assert not copy.exists()
    assert snapshot(example_repo / "clusters") == cold_tree(example_repo, tmp_path)


def test_the_summary_counts_the_kept_clusters_files(example_repo: Path) -> None:
    rendered_repo(example_repo)
    whole = run_cli("render", cwd=example_repo).err
    change_eu_west(example_repo)
    after = run_cli("render", cwd=example_repo).err
    assert whole.split(" files")[0] == after.split(" files")[0], (whole, after)


def test_a_render_between_the_judgement_and_the_lock_keeps_nothing(example_repo: Path
                                                                   ) -> None:
    """A run judges the tree, and reads the fleet and the index, before it takes the
    lock; another render that changes the tree meanwhile (here eu-west, from other
    values) drops the record judged: the run keeps no cluster, and its own inputs make
    the tree, as a cold render of them does."""
    rendered_repo(example_repo)
    spec = str(example_repo / "fleets" / "acme.yaml")
    before = (example_repo / "fleets" / "acme.yaml").read_text()
    fleet = load_fleet(spec)

    def before_the_lock() -> tuple[FleetCache, TreeJudge]:
        judge = judge_ahead([spec])[spec]
        return FleetCache(fleet, reuse=True, judge=judge), judge

    cache, judge = before_the_lock()
    with locked(str(example_repo)):  # nothing happened meanwhile: all are kept
        assert FleetRender(fleet, cache).reused == {"us-west", "us-east", "eu-west"}
    cache, judge = before_the_lock()
    change_eu_west(example_repo)
    assert run_cli("render", "-q", cwd=example_repo).code == 0  # the other render
    (example_repo / "fleets" / "acme.yaml").write_text(before)
    assert not judge.current()
    with locked(str(example_repo)):
        assert FleetRender(fleet, cache).reused == frozenset()


@pytest.mark.parametrize(("argv", "started"), [
    (["render", "-q"], True), (["render", "--check", "--no-diff"], True),
    (["lint", "--disable", "output-drift"], True), (["lint", "--format=json"], True),
    (["lint", "--full"], True), (["lint", "--full", "--select", "output-drift"], True),
    (["render", "--shard", "1/2"], False), (["lint", "--full", "--shard", "1/2"], False),
    (["lint", "manifests/"], False), (["lint", "--select"], False), (["diff"], False),
])
def test_the_programs_first_code_judges_only_what_the_run_will_ask(
        example_repo: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], started: bool
        ) -> None:
    """`mcgen render` and a plain `mcgen lint` have their trees judged from the first
    line of the program, before the CLI loads (`mcgen.fastpath.judge_early`)."""
    rendered_repo(example_repo)
    monkeypatch.chdir(example_repo)
    spec = str(example_repo / "fleets" / "acme.yaml")
    judge_early(argv)
    early = subtrees.take_early(spec)
    assert (early is not None) == started
    if early is not None:
        early.stop()


def test_the_run_takes_the_judges_started_early_and_stops_the_others(example_repo: Path
                                                                     ) -> None:
    rendered_repo(example_repo)
    spec = str(example_repo / "fleets" / "acme.yaml")
    other = str(example_repo / "fleets" / "other.yaml")
    started = subtrees.start_judges([spec, other])
    assert judge_ahead([spec])[spec] is started[spec]
    assert subtrees.take_early(other) is None  # stopped: this run does not read it
    assert judge_ahead([spec])[spec] is not started[spec]  # taken once


def test_a_judgement_asked_twice_answers_the_same(example_repo: Path, judging: str) -> None:
    rendered_repo(example_repo)
    (example_repo / EDITED).write_text("edited by hand\n")
    spec = str(example_repo / "fleets" / "acme.yaml")
    judge = judge_ahead([spec])[spec]
    first = judge.unsettled()
    assert judge.unsettled() == first
    if judging == "judged-ahead":
        assert first is not None and "clusters/us-west/storefront" in first
    else:
        assert first is None  # judged cluster by cluster when asked


def test_the_early_judges_know_every_option_of_a_plain_lint() -> None:
    """`mcgen.fastpath.LINT_VALUES` is the lint command's options that take a value but
    those that make it lint everything or nothing of its own (--shard, --merge): an
    option added to the command and not there would quietly start no judges."""
    import click

    from mcgen.cli.lint import command
    from mcgen.fastpath import LINT_FLAGS, LINT_VALUES

    valued = {opt for param in command.params if isinstance(param, click.Option)
              and not param.is_flag for opt in param.opts}
    assert valued - {"--shard", "--merge"} == LINT_VALUES
    flags = {opt for param in command.params if isinstance(param, click.Option)
             and param.is_flag for opt in param.opts}
    assert flags >= LINT_FLAGS  # a flag renamed would quietly start no judges
