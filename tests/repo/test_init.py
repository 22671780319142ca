"""`mcgen init`: a new repository, or what an existing one lacks, never overwriting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli, snapshot

from mcgen import __version__
from mcgen.scaffold import DISTRIBUTION

PIN = f"{DISTRIBUTION}=={__version__}"


def test_init_into_an_existing_repository_adds_what_is_missing(example_repo: Path) -> None:
    (example_repo / ".gitignore").write_text("*.pyc")
    (example_repo / "README.md").write_text("# ours\n")
    before = snapshot(example_repo)
    done = run_cli("init", str(example_repo))
    assert done.code == 0, done.err
    after = snapshot(example_repo)
    for path, data in before.items():
        if path != ".gitignore":
            assert after[path] == data, path  # nothing overwritten
    assert after[".gitignore"] == (b"*.pyc\n# mcgen's lock, journal and caches (mcgen init)\n"
                                   b".mcgen/\n")
    assert ".pre-commit-config.yaml" in after and ".github/workflows/mcgen.yaml" in after
    assert not (example_repo / "fleets/fleet.yaml").exists()  # it has a fleet already
    assert not (example_repo / "templates/web").exists()
    assert "kept    " in done.err and "README.md" in done.err
    again = run_cli("init", str(example_repo))
    assert again.code == 0 and snapshot(example_repo) == after  # a second init adds nothing


def test_init_into_an_empty_folder_scaffolds_and_renders(tmp_path: Path) -> None:
    done = run_cli("init", str(tmp_path / "new"))
    assert done.code == 0, done.err
    assert (tmp_path / "new/fleets/fleet.yaml").is_file()
    assert run_cli("render", "--check", cwd=tmp_path / "new").code == 0
    assert run_cli("lint", cwd=tmp_path / "new").code == 0


def test_the_scaffold_installs_the_pinned_distribution(tmp_path: Path) -> None:
    assert run_cli("init", "--no-render", str(tmp_path)).code == 0
    hooks = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert "repo: local" in hooks and "rev:" not in hooks
    assert hooks.count(f'additional_dependencies: ["{PIN}"]') == 2
    assert f'pip install "{PIN}"' in (tmp_path / ".github/workflows/mcgen.yaml").read_text()
    assert PIN in (tmp_path / "README.md").read_text()
    assert "@PIN@" not in "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())


def test_docs_and_examples_install_the_pinned_distribution() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'name = "{DISTRIBUTION}"' in pyproject
    assert 'license = "Apache-2.0"' in pyproject  # an SPDX string, not the deprecated table
    places = [ROOT / "README.md", ROOT / "docs/getting-started.md", ROOT / "docs/pre-commit.md",
              ROOT / "examples/ci/gitlab-ci.yml", ROOT / "examples/ci/github-actions.yaml"]
    for place in places:
        text = place.read_text()
        assert PIN in text, place
        assert "pip install mcgen\n" not in text and "pip install mcgen " not in text, place


def test_init_writes_the_editor_modeline_and_the_schema_it_names(tmp_path: Path) -> None:
    assert run_cli("init", "--no-render", str(tmp_path)).code == 0
    fleet = (tmp_path / "fleets/fleet.yaml").read_text()
    first = fleet.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/fleet.schema.json"
    named = (tmp_path / "fleets" / first.split("$schema=")[1]).resolve()
    assert named == (tmp_path / "schemas/fleet.schema.json").resolve()
    assert named.read_text() == run_cli("schema").out  # the very schema mcgen validates with
    import jsonschema
    import yaml

    schema = json.loads(named.read_text())
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(fleet))
    bad = yaml.safe_load(fleet)
    bad["spec"]["clusterz"] = []
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)  # an editor flags it


def test_init_into_a_repository_with_a_fleet_adds_the_schema_only(example_repo: Path) -> None:
    assert run_cli("init", "--no-render", str(example_repo)).code == 0
    assert (example_repo / "schemas/fleet.schema.json").read_text() == run_cli("schema").out
    assert not (example_repo / "fleets/fleet.yaml").exists()


def test_shell_completion_scripts_are_produced(tmp_path: Path) -> None:
    mcgen = Path(sys.executable).parent / "mcgen"
    for shell, marker in (("bash", "complete -o nosort -F _mcgen_completion mcgen"),
                          ("zsh", "#compdef mcgen"),
                          ("fish", "complete --no-files --command mcgen")):
        env = {**os.environ, "_MCGEN_COMPLETE": f"{shell}_source"}
        done = subprocess.run([str(mcgen)], env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert marker in done.stdout, (shell, done.stdout)
    env = {**os.environ, "_MCGEN_COMPLETE": "bash_complete", "COMP_WORDS": "mcgen ren",
           "COMP_CWORD": "1"}
    done = subprocess.run([str(mcgen)], env=env, capture_output=True, text=True, check=False)
    assert done.stdout.splitlines() == ["plain,render"]


def test_the_docs_say_how_to_turn_completion_on() -> None:
    text = (ROOT / "docs/getting-started.md").read_text()
    assert 'eval "$(_MCGEN_COMPLETE=bash_source mcgen)"' in text
    assert "yaml-language-server: $schema=" in text
