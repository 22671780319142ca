"""Which Namespaces mcgen adds: only where a component's own objects live."""

from __future__ import annotations

from pathlib import Path

from policies.policyrepo import write_repo

from mcgen.fleet.load import load_fleet
from mcgen.render.engine import render_fleet

FLEET = """\
apiVersion: mcgen.dev/v1alpha1
kind: Fleet
metadata: {name: t}
spec:
  output: {dir: clusters, engine: flux, repoURL: "https://git.example.com/f.git"}
  zones: {us: {regions: [us-east-1]}}
  clusters:
    - {name: one, region: us-east-1, kubernetesVersion: "1.31"}
  components:
    - {name: rbac, template: rbac, namespace: platform, placement: {clusters: [one]}}
    - {name: app, template: app, namespace: shop, placement: {clusters: [one]}}
    - {name: flux-extras, template: app, namespace: flux-system, placement: {clusters: [one]}}
    - {name: system, template: app, namespace: kube-system, placement: {clusters: [one]}}
"""
TEMPLATES = {
    "rbac": {"role.yaml.j2": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                             "metadata: {name: reader-{{ component.name }}}\nrules: []\n"},
    "app": {"cm.yaml.j2": "apiVersion: v1\nkind: ConfigMap\n"
                          "metadata: {name: cm-{{ component.name }}}\n"},
}


def test_namespaces_only_where_objects_live_and_never_system_ones(tmp_path: Path) -> None:
    spec = write_repo(tmp_path, FLEET, TEMPLATES)
    rendered = render_fleet(load_fleet(str(spec)))
    namespaces = sorted((o.component, o.ref.name) for o in rendered.objects
                        if o.ref.kind == "Namespace")
    assert namespaces == [("app", "shop")]
    placed = {o.ref.name: o.ref.namespace for o in rendered.objects if o.ref.kind != "Namespace"}
    assert placed == {"reader-rbac": "", "cm-app": "shop", "cm-flux-extras": "flux-system",
                      "cm-system": "kube-system"}
