"""A synthetic fleet: N clusters in zones and replication groups, M components each.

Every component has its own template folder with a Deployment, a Service and a
ConfigMap (3 objects), reading cluster facts, merged values and a dependency endpoint,
as real templates do. The same templates feed every peer in `bench/run.py`.
"""

from __future__ import annotations

from pathlib import Path

ZONES = {"eu": ["eu-west-1", "eu-central-1"], "us": ["us-east-1", "us-west-2"],
         "ap": ["ap-south-1"]}

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ component.name }}
  labels:
    app: {{ component.name }}
    tier: {{ cluster.labels.tier }}
spec:
  replicas: {{ values.replicas }}
  selector:
    matchLabels:
      app: {{ component.name }}
  template:
    metadata:
      labels:
        app: {{ component.name }}
    spec:
      containers:
        - name: app
          image: registry.example.com/{{ component.name }}:{{ values.version }}
          args: ["--log-level={{ values.logLevel }}", "--region={{ cluster.region }}"]
          env:
            - name: UPSTREAM
              value: "{{ values.upstream }}"
          ports:
            - containerPort: 8080
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "1", memory: {{ values.memory }}}
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ component.name }}
spec:
  selector:
    app: {{ component.name }}
  ports:
    - name: http
      port: 80
      targetPort: 8080
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ component.name }}-config
data:
  settings.ini: |
    [app]
    log_level = {{ values.logLevel }}
    zone = {{ cluster.zone }}
{% for key, value in values.features | dictsort %}
    feature.{{ key }} = {{ value }}
{% endfor %}
"""

TEMPLATES = {"deployment.yaml.j2": DEPLOYMENT, "service.yaml.j2": SERVICE,
             "configmap.yaml.j2": CONFIGMAP}


def cluster_rows(clusters: int) -> list[dict[str, object]]:
    regions = [r for rs in ZONES.values() for r in rs]
    rows = []
    for index in range(clusters):
        region = regions[(index // 2) % len(regions)]  # replicas share a zone
        rows.append({"name": f"c{index:04d}", "region": region, "wave": 1 + index % 2,
                     "tier": "performance" if (index // 2) % 3 else "standard"})
    return rows


def fleet_spec(clusters: int, components: int) -> str:
    lines = [
        "apiVersion: mcgen.dev/v1alpha1", "kind: Fleet", "metadata: {name: bench}", "spec:",
        "  output: {dir: clusters, engine: kustomize}",
        "  zones:",
        *(f"    {z}: {{regions: [{', '.join(rs)}]}}" for z, rs in ZONES.items()),
        "  defaults:",
        "    values: {logLevel: info, memory: 256Mi, features: {search: true, cart: false}}",
        "  clusters:",
    ]
    rows = cluster_rows(clusters)
    for row in rows:
        # Some replica pairs run with debug logging, both members alike (no drift).
        extra = ", values: {logLevel: debug}" if int(str(row["name"])[1:]) // 2 % 25 == 3 else ""
        lines.append(f"    - {{name: {row['name']}, region: {row['region']}, "
                     f"kubernetesVersion: \"1.31\", wave: {row['wave']}, "
                     f"labels: {{tier: {row['tier']}}}{extra}}}")
    lines.append("  groups:")
    for first in range(0, clusters - 1, 2):
        lines.append(f"    - {{name: g{first // 2:04d}, clusters: [{rows[first]['name']}, "
                     f"{rows[first + 1]['name']}]}}")
    lines.append("  components:")
    for index in range(components):
        lines.append(f"    - {{name: comp{index:02d}, template: comp{index:02d}, "
                     f"namespace: ns{index:02d}, placement: {{selector: {{matchLabels: {{}}}}}}, "
                     f"values: {{replicas: {2 + index % 3}, version: \"1.{index}.0\", "
                     f"upstream: \"http://comp{(index + 1) % components:02d}:80\"}}}}")
    return "\n".join(lines) + "\n"


def write_fleet(root: Path, clusters: int, components: int) -> None:
    """A fleet repository at `root` (fleets/bench.yaml and templates/)."""
    (root / "fleets").mkdir(parents=True, exist_ok=True)
    (root / "fleets" / "bench.yaml").write_text(fleet_spec(clusters, components))
    for index in range(components):
        folder = root / "templates" / f"comp{index:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in TEMPLATES.items():
            (folder / name).write_text(text)
