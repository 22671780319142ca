"""Helm charts: rendered per cluster by Helm's own engine, offline, deterministically.

- `files`: a chart's files, digest and template sources, read in pure Python.
- `capabilities`: a cluster's `.Capabilities` (its version, the APIs it serves, CRDs).
- `semver`: a chart's `kubeVersion` constraint, which Helm's engine does not enforce.
- `engines`: the `HelmEngine` Protocol and registry (`sdk` in-process, `binary`).
- `native`: the one module importing `helm_python` (`helm-python-sdk`, extra `helm`).
- `binary`: `helm template` as an engine.
- `documents`: rendered templates split the way Helm splits them.
- `determinism`: output that changes between runs, found and refused with a way out.
- `render`: one chart for one cluster, with every check.
- `cache`: each distinct render once, across the fleet.
- `lock`, `vendor`: `spec.charts`, `charts.lock` and `mcgen vendor`.
"""
