"""What `tools/mutate.py` mutates, and which tests each module's mutants must fail.

The issue's list (#16): the module of every rule, suppressions, values layering, path
safety and the sandbox. A rule's tests are its data cases (`tests/policies/cases/`) where
it runs, plus the test files that name its module.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "mcgen/lint/rules").glob("*.py")
               if p.name != "__init__.py")
OTHERS = {
    "mcgen/lint/suppress.py": ["tests/policies/test_suppressions.py",
                               "tests/policies/test_example_fleet.py",
                               "tests/lint/test_suggestions.py"],
    "mcgen/fleet/values.py": ["tests/fleet/test_values.py", "tests/render/test_golden.py",
                              "tests/fuzz/test_properties.py::"
                              "test_deep_merge_layers_top_over_base_without_mutating"],
    # fastest first: a mutant stops at its first failing test (-x)
    "mcgen/output/pathsafety.py": ["tests/output/test_pathsafety.py",
                                   "tests/reliability/test_obstacles.py",
                                   "tests/security/test_output_tree.py",
                                   "tests/security/test_input_symlinks.py"],
    "mcgen/sources/jinja/sandbox.py": ["tests/security/test_sandbox_bounds.py",
                                       "tests/security/test_growth.py",
                                       "tests/security/test_undefined.py",
                                       "tests/security/test_sandbox.py",
                                       "tests/security/test_limits.py"],
}
# A rule whose module name is a common word: the test files that really exercise it, in
# place of every file that says the word ("schema" is in 28 of them, most slow).
NAMING = {
    "mcgen/lint/rules/schema.py": ["tests/lint/test_cli_crd_schema.py",
                                   "tests/fleet/test_version_messages.py",
                                   "tests/schemas/test_crd.py",
                                   "tests/lint/test_plain_manifest_rules.py"],
}
# Tests that reach a rule's code without naming its module.
EXTRA = {
    # an incremental lint compares only the clusters it renders again (_clusters_linted)
    "mcgen/lint/rules/output_drift.py": [
        "tests/lint/test_incremental.py::test_a_one_cluster_change_lints_only_its_group",
        "tests/lint/test_incremental.py::test_a_remembered_clusters_drift_is_reported_once",
        "tests/lint/test_incremental_drift.py::"
        "test_a_hand_edit_in_a_relinted_cluster_is_found_for_any_spelling_of_the_dir",
        "tests/lint/test_incremental_drift.py::"
        "test_only_the_relinted_clusters_are_compared_and_reported_once"],
    # versions of clusters a shard or an incremental lint leaves out (ELSEWHERE)
    "mcgen/lint/rules/rollout_order.py": [
        "tests/lint/test_shards.py::test_merged_shards_equal_one_run",
        "tests/lint/test_incremental.py::test_a_one_cluster_change_lints_only_its_group"],
}
TARGETS = [*RULES, *OTHERS]


def _rule_id(module: str) -> str:
    for line in (ROOT / module).read_text().splitlines():
        if line.startswith("ID = "):
            return line.split("=", 1)[1].strip().strip("\"'")
    return ""


def _cases(rule: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "tests/policies/cases").glob("*.yaml")):
        suite = yaml.safe_load(path.read_text())
        for case in suite["cases"]:
            selected = case.get("select", suite.get("select", ()))
            expected = {e[0] for e in case["expect"]}
            if not selected or rule in selected or any(e.startswith(rule) for e in expected):
                found.append(f"tests/policies/test_cases.py::test_case[{path.stem}/{case['name']}]")
    return found


def _naming(module: str) -> list[str]:
    if module in NAMING:
        return NAMING[module]
    name = Path(module).stem
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("test_*.py")
                  if p.name != "test_cases.py" and name in p.read_text())


def tests_for(module: str) -> list[str]:
    if module in OTHERS:
        return [t for t in OTHERS[module] if (ROOT / t.split("::")[0]).exists()]
    return _cases(_rule_id(module)) + _naming(module) + EXTRA.get(module, [])
