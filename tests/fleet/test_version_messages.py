"""Messages about Kubernetes versions: what to write instead, at the line to change."""

from __future__ import annotations

from pathlib import Path

from policies.policyrepo import lint_repo, write_repo

from mcgen.errors import InputError
from mcgen.fleet.load import load_fleet

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - name: one
      region: us-east-1
      kubernetesVersion: 1.30
  components:
    - {name: app, template: app, namespace: app, placement: {clusters: [one]}}
"""


def _problems(tmp_path: Path, fleet: str) -> list[str]:
    spec = write_repo(tmp_path, fleet, {"app": {"a.yaml.j2": "{}\n"}})
    try:
        load_fleet(str(spec))
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_an_unquoted_version_says_quote_it(tmp_path: Path) -> None:
    assert _problems(tmp_path, FLEET) == [
        'fleets/test.yaml:10:7: error: spec.clusters[0].kubernetesVersion: 1.3 is read as a '
        'number, and a version is text: quote it, e.g. kubernetesVersion: "1.30" (unquoted, '
        'YAML reads 1.30 as the number 1.3)']


def test_a_boolean_where_text_is_wanted_says_quote_it(tmp_path: Path) -> None:
    fleet = FLEET.replace("kubernetesVersion: 1.30", 'kubernetesVersion: "1.30"\n'
                          "      provider: true")
    found = _problems(tmp_path, fleet)
    assert len(found) == 1
    assert found[0].startswith("fleets/test.yaml:11:")
    assert "provider: true is read as a boolean, and provider takes text: quote it" in found[0]


def test_a_version_outside_the_bundled_schemas_is_a_warning_at_its_line(
        tmp_path: Path) -> None:
    write_repo(tmp_path, FLEET.replace("1.30", '"1.99"'), {"app": {"a.yaml.j2": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n")}})
    found = [f for f in lint_repo(tmp_path, ("schema",))]
    assert [(f.location.path, f.location.line, str(f.severity)) for f in found] == [
        ("fleets/test.yaml", 10, "warning")]
    assert found[0].message == (
        "cluster one runs Kubernetes 1.99, outside the bundled schemas (1.25-1.37): its "
        "objects are validated against 1.37's; upgrade mcgen (kubernetes-validate) for its "
        "own")


def test_a_sharded_lint_warns_of_its_own_clusters_versions_only(tmp_path: Path) -> None:
    """Each cluster outside the bundled schemas is warned of once, by its shard's lint."""
    from mcgen.lint.engine import LintRequest, lint
    from mcgen.shard import clusters_in_shard

    fleet = FLEET.replace("kubernetesVersion: 1.30", 'kubernetesVersion: "1.40"\n'
                          '    - {name: two, region: us-east-1, kubernetesVersion: "1.31"}')
    spec = write_repo(tmp_path, fleet, {"app": {"a.yaml.j2": "apiVersion: v1\nkind: ConfigMap\n"
                                                 "metadata: {name: c}\n"}})
    loaded = load_fleet(str(spec))
    warned = {}
    for k in (1, 2):
        result = lint(LintRequest(targets=(str(spec),), cwd=str(tmp_path), select=("schema",),
                                  shard=(k, 2)))
        warned[k] = [f.location.line for f in result.findings]
    shards = [set(clusters_in_shard(loaded, (k, 2))) for k in (1, 2)]
    assert sorted(map(sorted, shards)) == [["one"], ["two"]]  # one cluster a shard
    holder = 1 if "one" in shards[0] else 2
    assert warned == {holder: [10], 3 - holder: []}
