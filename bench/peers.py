"""The same workload for the tools a user would pick instead of mcgen.

- Kapitan: an inventory target per cluster with the merged values, compiling the same
  Jinja2 templates (a first line maps Kapitan's `inventory` to mcgen's names).
- kustomize: one base holding every component, an overlay per cluster (namespace,
  labels, a replicas patch), and one top-level kustomization over all overlays.
- The floor: a bare Jinja2 loop rendering the same templates and writing the bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from fleetgen import TEMPLATES, ZONES, cluster_rows

PRELUDE = ("{% set cluster = inventory.parameters.cluster %}"
           "{% set component = inventory.parameters.components[input_params.component] %}"
           "{% set values = component['values'] %}\n")


def _zone(region: object) -> str:
    return next(z for z, regions in ZONES.items() if region in regions)


def component_values(index: int, components: int, cluster_name: str) -> dict[str, object]:
    debug = int(cluster_name[1:]) // 2 % 25 == 3
    return {"logLevel": "debug" if debug else "info", "memory": "256Mi",
            "features": {"search": True, "cart": False}, "replicas": 2 + index % 3,
            "version": f"1.{index}.0", "upstream": f"http://comp{(index + 1) % components:02d}:80"}


def write_kapitan(root: Path, clusters: int, components: int) -> None:
    for index in range(components):
        folder = root / "templates" / f"comp{index:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in TEMPLATES.items():
            (folder / name).write_text(PRELUDE + text)
    targets = root / "inventory" / "targets"
    targets.mkdir(parents=True, exist_ok=True)
    (root / "inventory" / "classes").mkdir(parents=True, exist_ok=True)
    for row in cluster_rows(clusters):
        name = str(row["name"])
        target = {
            "parameters": {
                "cluster": {"name": name, "region": row["region"], "zone": _zone(row["region"]),
                            "labels": {"tier": row["tier"]}},
                "components": {f"comp{i:02d}": {"name": f"comp{i:02d}",
                                                "values": component_values(i, components, name)}
                               for i in range(components)},
                "kapitan": {"vars": {"target": name}, "compile": [
                    {"output_path": f"comp{i:02d}", "input_type": "jinja2",
                     "input_paths": [f"templates/comp{i:02d}"],
                     "input_params": {"component": f"comp{i:02d}"}, "suffix_remove": True}
                    for i in range(components)]},
            }
        }
        (targets / f"{name}.yml").write_text(json.dumps(target))


def write_kustomize(root: Path, clusters: int, components: int) -> None:
    from jinja2 import Environment, StrictUndefined

    env = Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    base = root / "base"
    base.mkdir(parents=True, exist_ok=True)
    resources = []
    for index in range(components):
        context = {"component": {"name": f"comp{index:02d}"},
                   "cluster": {"labels": {"tier": "standard"}, "region": "r", "zone": "z"},
                   "values": component_values(index, components, "c0000")}
        for name, text in TEMPLATES.items():
            file_name = f"comp{index:02d}-{name.removesuffix('.j2')}"
            (base / file_name).write_text(env.from_string(text).render(context))
            resources.append(file_name)
    (base / "kustomization.yaml").write_text(json.dumps({"resources": resources}))
    overlays = []
    for row in cluster_rows(clusters):
        name = str(row["name"])
        folder = root / "overlays" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "kustomization.yaml").write_text(json.dumps({
            "resources": ["../../base"], "namespace": name,
            "labels": [{"pairs": {"mcgen.dev/cluster": name, "tier": row["tier"]}}],
            "patches": [{"target": {"kind": "Deployment", "name": "comp00"},
                         "patch": '[{"op": "replace", "path": "/spec/replicas", "value": 5}]'}],
        }))
        overlays.append(f"overlays/{name}")
    (root / "kustomization.yaml").write_text(json.dumps({"resources": overlays}))


FLOOR = '''
import os, sys
from jinja2 import Environment, FileSystemLoader, StrictUndefined
root, out = sys.argv[1], sys.argv[2]
import json
spec = json.load(open(os.path.join(root, "contexts.json")))
env = Environment(loader=FileSystemLoader(os.path.join(root, "templates")),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
for cluster, components in spec.items():
    for component, context in components.items():
        folder = os.path.join(out, cluster, component)
        os.makedirs(folder, exist_ok=True)
        for name in sorted(os.listdir(os.path.join(root, "templates", component))):
            text = env.get_template(component + "/" + name).render(context)
            with open(os.path.join(folder, name[:-3]), "w") as handle:
                handle.write(text)
'''


def write_floor(root: Path, clusters: int, components: int) -> None:
    """Templates plus precomputed contexts: the floor does no spec parsing at all."""
    root.mkdir(parents=True, exist_ok=True)
    contexts = {}
    for row in cluster_rows(clusters):
        name = str(row["name"])
        cluster = {"name": name, "region": row["region"], "zone": _zone(row["region"]),
                   "labels": {"tier": row["tier"]}}
        contexts[name] = {f"comp{i:02d}": {"cluster": cluster,
                                           "component": {"name": f"comp{i:02d}"},
                                           "values": component_values(i, components, name)}
                          for i in range(components)}
    (root / "contexts.json").write_text(json.dumps(contexts))
    for index in range(components):
        folder = root / "templates" / f"comp{index:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in TEMPLATES.items():
            (folder / name).write_text(text)
    (root / "floor.py").write_text(FLOOR)
