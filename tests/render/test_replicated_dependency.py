"""A dependency on a replicated component resolves to every replica: templates get them
as `dependencies.<D>.replicas` (for one egress rule each), and the load-balancer host
when `expose.host` names one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run_cli
from sources.fleetrepo import git, write

FLEET = """apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: kustomize}
  zones:
    eu: {regions: [eu-west-1]}
    us: {regions: [us-east-1, us-west-2]}
  clusters:
    - {name: a, region: us-east-1, kubernetesVersion: "1.31"}
    - {name: b, region: us-west-2, kubernetesVersion: "1.31"}
    - {name: c, region: us-west-2, kubernetesVersion: "1.31"}
    - {name: e, region: eu-west-1, kubernetesVersion: "1.31"}
  groups:
    - {name: g, clusters: [a, b]}
  components:
    - {name: api, template: api, namespace: api, placement: {clusters: [a, b, c]},
       expose: {port: 443, host: "HOST"}}
    - {name: web, template: web, namespace: web, placement: {clusters: [e, a]},
       dependsOn: [{component: api}]}
  firewall:
    - {from: [e], to: a, ports: [443]}
    - {from: [e], to: b, ports: [443]}
"""
EGRESS = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
{% for replica in dependencies.api.replicas %}
    - to: [{ipBlock: {cidr: "10.{{ loop.index }}.0.0/16"}}]
      ports: [{port: {{ dependencies.api.port }}}]
{% endfor %}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-api
data:
  endpoint: "{{ dependencies.api.endpoint }}"
  replicas: "{{ dependencies.api.replicas | map(attribute='endpoint') | join(' ') }}"
"""


def rendered(tmp_path: Path, host: str, cluster: str) -> dict[str, object]:
    write(tmp_path, "fleets/t.yaml", FLEET.replace("HOST", host))
    write(tmp_path, "templates/api/svc.yaml.j2",
          "apiVersion: v1\nkind: Service\nmetadata: {name: api}\n")
    write(tmp_path, "templates/web/egress.yaml.j2", EGRESS)
    git(tmp_path, "init", "-q", "-b", "main")
    done = run_cli("render", "-q", cwd=tmp_path)
    assert done.code == 0, done.err
    folder = tmp_path / "clusters" / cluster / "web"
    policy = yaml.safe_load((folder / "networkpolicy-web-egress.yaml").read_text())
    data = yaml.safe_load((folder / "configmap-web-api.yaml").read_text())["data"]
    return {"egress": len(policy["spec"]["egress"]), **data}


@pytest.mark.parametrize(("host", "endpoints"), [
    ("api.{cluster}.example.com", "api.a.example.com:443 api.b.example.com:443"),
    ("api.t.example.com", "api.t.example.com:443 api.t.example.com:443"),
])
def test_a_remote_replicated_dependency_lists_every_replica(
        tmp_path: Path, host: str, endpoints: str) -> None:
    found = rendered(tmp_path, host, "e")
    assert found["egress"] == 2  # one rule per replica of group g; c is no replica
    assert found["replicas"] == endpoints
    assert found["endpoint"] == endpoints.split()[0]  # the nearest (fleet order in zone)


def test_a_local_dependency_is_its_own_cluster_only(tmp_path: Path) -> None:
    found = rendered(tmp_path, "api.t.example.com", "a")
    assert found["egress"] == 1
    assert found["replicas"] == "api.api.svc.cluster.local:443"
