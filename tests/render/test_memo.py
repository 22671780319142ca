"""Rendering each distinct (template, inputs) once changes nothing a user can see."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import cold_tree, run_cli, snapshot

from mcgen.fleet.load import load_fleet
from mcgen.output.fastcheck import state_file
from mcgen.render.engine import TextsOnly, render_fleet
from mcgen.render.memo import RenderMemo, load_memo
from mcgen.sources.jinja.source import template_files


def spec(repo: Path) -> Path:
    return repo / "fleets" / "acme.yaml"


def test_replicas_share_renders_and_a_second_run_renders_nothing(example_repo: Path) -> None:
    fleet = load_fleet(str(spec(example_repo)))
    memo = RenderMemo()
    first = render_fleet(fleet, TextsOnly(memo))
    runs = sum(len(template_files(fleet.root, comp.template))
               for cluster in fleet.clusters for comp in fleet.components_on(cluster))
    assert 0 < memo.renders < runs  # us-west and us-east share texts
    again = RenderMemo(stored=dict(memo.used))
    second = render_fleet(fleet, TextsOnly(again))
    # Verbatim files are read again, never kept (they may hold secrets); nothing else is.
    verbatim = {(o.cluster, o.origin) for o in first.objects if o.verbatim}
    assert again.renders == len(verbatim)
    assert [(o.ref, o.body, o.text) for o in second.objects] == [
        (o.ref, o.body, o.text) for o in first.objects]
    plain = render_fleet(fleet)
    assert [o.body for o in plain.objects] == [o.body for o in first.objects]


def test_a_warm_render_after_changes_equals_a_cold_one(example_repo: Path,
                                                        tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(example_repo)], check=True)
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    assert load_memo(state_file(str(example_repo), str(spec(example_repo)), "render-*.json")).stored
    text = spec(example_repo).read_text()
    spec(example_repo).write_text(text.replace("replicas: 3", "replicas: 5", 1))
    template = example_repo / "templates" / "storefront" / "service.yaml.j2"
    template.write_text(template.read_text().replace("port: 80", "port: 8081", 1))
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    assert snapshot(example_repo / "clusters") == cold_tree(example_repo, tmp_path)


def test_a_corrupt_or_foreign_memo_is_ignored(example_repo: Path, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(example_repo)], check=True)
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    memo_file = Path(state_file(str(example_repo), str(spec(example_repo)), "render-*.json"))
    body = json.loads(memo_file.read_text())
    # A planted entry under a real key must not reach the tree unless the code matches.
    body["texts"] = {key: "kind: Planted\n" for key in body["texts"]}
    body["code"] = "another mcgen"
    memo_file.write_text(json.dumps(body))
    (example_repo / "clusters").rename(tmp_path / "old")
    assert run_cli("render", "-q", cwd=example_repo).code == 0
    assert snapshot(example_repo / "clusters") == snapshot(tmp_path / "old")
    memo_file.write_text("{not json")
    assert load_memo(str(memo_file)).stored == {}
