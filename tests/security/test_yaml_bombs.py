"""Alias bombs, deep nesting and huge files: refused with a located error in bounded memory.

Each case runs `mcgen` in a subprocess whose address space is capped (RLIMIT_AS): an
input that expanded would die of MemoryError (exit 3) or be killed, not exit 2. Both
YAML readers are covered: ruamel (fleet specs, policies) and libyaml through PyYAML
(rendered templates, plain manifests, CRDs).
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

# mcgen's own needs are a few hundred MiB; Helm's Go runtime (the example fleet has a chart)
# reserves about 1.7 GiB of address space that it never touches (PROT_NONE), which counts
# against RLIMIT_AS: the cap leaves room for that, and is still far below any bomb.
MEMORY = 4 * 1024**3


def laughs(levels: int = 9) -> str:
    """The billion laughs: 10**levels values from a few hundred bytes."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]"
              for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


BOMBS = {
    "laughs": laughs(),
    "recursive-alias": "a: &a [*a, *a]\n",
    "recursive-map": "a: &a {k: *a, j: *a}\n",
    "flow-depth": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "block-depth": "".join(" " * (2 * i) + "- \n" for i in range(1000)),
    "depth-after-apostrophe": "a: it's\nb: " + "{c: " * 5000 + "1" + "}" * 5000 + "\n",
    "merge-doubling": "a0: &a0 {x: 1}\n" + "".join(
        f"a{i}: &a{i} {{<<: [*a{i - 1}], k{i}: *a{i - 1}, j{i}: *a{i - 1}}}\n"
        for i in range(1, 40)),
}
MANIFEST_HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n"


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def mcgen(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mcgen", *args], cwd=repo, text=True,
                          capture_output=True, preexec_fn=limited, timeout=300, check=False)


def indented(bomb: str) -> str:
    return "".join(f"  {line}\n" for line in bomb.splitlines())


def test_the_example_runs_within_the_memory_cap(example_repo: Path) -> None:
    assert mcgen(example_repo, "lint").returncode == 0


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_in_a_fleet_spec(name: str, example_repo: Path) -> None:
    spec = example_repo / "fleets/acme.yaml"
    spec.write_text(spec.read_text().replace("  defaults:\n", "  bomb:\n" + indented(
        BOMBS[name]) + "  defaults:\n", 1))
    result = mcgen(example_repo, "render", "--check")
    assert result.returncode == 2, result.stderr[-400:]
    assert "fleets/acme.yaml:" in result.stderr


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_in_a_plain_manifest(name: str, tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(MANIFEST_HEAD + indented(BOMBS[name]))
    result = mcgen(tmp_path, "lint", "bomb.yaml")
    assert result.returncode in (1, 2), result.stderr[-400:]
    assert result.returncode == 2 or name == "merge-doubling", result.stdout[-400:]
    assert "bomb.yaml:" in result.stderr + result.stdout


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_in_a_rendered_template(name: str, example_repo: Path) -> None:
    template = example_repo / "templates/storefront/pdb.yaml.j2"
    template.write_text("{% raw %}" + MANIFEST_HEAD + indented(BOMBS[name]) + "{% endraw %}")
    result = mcgen(example_repo, "render")
    assert result.returncode == 2 or name == "merge-doubling", result.stderr[-400:]
    assert result.returncode in (0, 2), result.stderr[-400:]
    if result.returncode == 2:
        assert "templates/storefront/pdb.yaml.j2:" in result.stderr


@pytest.mark.parametrize("name", ["laughs", "flow-depth"])
def test_in_a_policy(name: str, example_repo: Path) -> None:
    """A policy file that cannot be read is a finding of rule `policy` (exit 1)."""
    policy = example_repo / "policies/performance-replicas.yaml"
    policy.write_text(policy.read_text() + "  bomb:\n" + indented(BOMBS[name]))
    result = mcgen(example_repo, "lint")
    assert result.returncode == 1, result.stderr[-400:]
    assert "policies/performance-replicas.yaml:" in result.stdout
    assert "[policy]" in result.stdout


def test_a_huge_fleet_spec_is_refused_before_parsing(example_repo: Path) -> None:
    spec = example_repo / "fleets/acme.yaml"
    spec.write_text(spec.read_text() + "# padding\n" * 300_000)
    result = mcgen(example_repo, "render", "--check")
    assert result.returncode == 2 and "fleets/acme.yaml:1:1: error: larger than" in result.stderr
