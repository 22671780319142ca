"""The `helm` command as an engine: `helm template`, with the same inputs as the SDK.

Used only when asked for (`MCGEN_HELM=binary`) and found on PATH (`MCGEN_HELM_BINARY`
names another file). Each render is one process; its output (documents each preceded
by `# Source: chart/templates/x.yaml`) is put back together per template, and the
`crds/` files come with `--include-crds` (Helm names them `chart/crds/x.yaml`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping

from mcgen.helm.capabilities import Capabilities
from mcgen.helm.engines import EngineOutput
from mcgen.helm.native import ChartCrd, HelmFailure

_SOURCE = re.compile(r"^# Source: (\S+)\s*$", re.M)
_DOCUMENT = re.compile(r"(?:^|\n)---[ \t]*\n")
TIMEOUT_SECONDS = 120


def helm_binary() -> str | None:
    named = os.environ.get("MCGEN_HELM_BINARY", "")
    return named if named and os.access(named, os.X_OK) else shutil.which("helm")


class BinaryEngine:
    name = "binary"

    def available(self) -> str:
        if helm_binary():
            return ""
        return ("the `binary` Helm engine needs a `helm` command on PATH (or "
                "MCGEN_HELM_BINARY); none was found: install Helm, or use the default engine "
                "(`pip install 'mcgen-gitops[helm]'`)")

    def render(self, chart: str, values: Mapping[str, object], release: str, namespace: str,
               capabilities: Capabilities) -> EngineOutput:
        binary = helm_binary()
        if binary is None:
            raise HelmFailure(self.available(), "missing")
        with tempfile.TemporaryDirectory(prefix="mcgen-helm-") as scratch:
            values_file = os.path.join(scratch, "values.json")
            with open(values_file, "w", encoding="utf-8") as handle:
                json.dump(values, handle)
            command = [binary, "template", release, chart, "--namespace", namespace,
                       "--kube-version", capabilities.kube_version, "--include-crds",
                       "--values", values_file,
                       "--api-versions", ",".join(capabilities.api_versions)]
            done = subprocess.run(command, capture_output=True, text=True, check=False,
                                  timeout=TIMEOUT_SECONDS, env=_quiet_env(scratch))
        if done.returncode != 0:
            raise HelmFailure(_error_text(done.stderr), _kind(done.stderr))
        templates, crds = _by_source(done.stdout)
        return EngineOutput(templates, crds, ())


def _quiet_env(scratch: str) -> dict[str, str]:
    """No user configuration, cache or plugin reaches the render."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    for key in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        env[key] = os.path.join(scratch, key.lower())
    return env


def _error_text(stderr: str) -> str:
    lines = [line.removeprefix("Error: ") for line in stderr.strip().splitlines()
             if not line.startswith("WARNING")]
    return "\n".join(lines) or "helm template failed"


def _kind(stderr: str) -> str:
    return "values" if "schema" in stderr else ("load" if "chart" in stderr and
                                               "not found" in stderr else "render")


def _by_source(output: str) -> tuple[dict[str, str], tuple[ChartCrd, ...]]:
    """Documents grouped by their `# Source:` template, in output order."""
    grouped: dict[str, list[str]] = {}
    for chunk in _DOCUMENT.split(output):
        found = _SOURCE.search(chunk)
        if found is None:
            continue
        body = chunk[found.end():].lstrip("\n")
        grouped.setdefault(found.group(1), []).append(body)
    templates: dict[str, str] = {}
    crds: list[ChartCrd] = []
    for source, bodies in grouped.items():
        text = "---\n".join(b if b.endswith("\n") else b + "\n" for b in bodies)
        if "/crds/" in source:
            crds.append(ChartCrd("crds/" + source.split("/crds/", 1)[1], source, text))
        else:
            templates[source] = text
    return templates, tuple(crds)
