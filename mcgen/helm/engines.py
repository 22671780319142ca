"""Helm engines: who runs a chart's templates. A typed Protocol and an explicit registry.

- `sdk` (the default): Helm 4's Go SDK in-process through `helm-python-sdk`; nothing to
  install but the `mcgen-gitops[helm]` extra, no process started per render.
- `binary`: the `helm` command on PATH (`helm template`), when the user asks for it
  (`MCGEN_HELM=binary`). Same inputs, same objects.

A new engine is one module and one line in `ENGINES`; mypy says what it forgot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

from mcgen.helm.capabilities import Capabilities
from mcgen.helm.native import ChartCrd


class EngineOutput(NamedTuple):
    templates: dict[str, str]  # Helm's template name -> its rendered text
    crds: tuple[ChartCrd, ...]  # files of crds/ (chart and subcharts), Helm's order
    warnings: tuple[str, ...]  # what Helm logged (e.g. "destination for x is a table")


class HelmEngine(Protocol):
    name: str

    def available(self) -> str:
        """"" when the engine can run here, else why not (a sentence for the user)."""
        ...

    def render(self, chart: str, values: Mapping[str, object], release: str, namespace: str,
               capabilities: Capabilities) -> EngineOutput:
        """Render the chart at `chart` (folder or archive); raises HelmFailure."""
        ...


class SdkEngine:
    """Helm's Go SDK, loaded once per process; each chart loaded once per digest."""

    name = "sdk"

    def __init__(self) -> None:
        from mcgen.helm import native

        self._native = native
        self._loaded: dict[str, native.LoadedChart] = {}

    def available(self) -> str:
        return "" if self._native.sdk_available() else self._native.missing_message()

    def loaded(self, chart: str) -> object:
        found = self._loaded.get(chart)
        if found is None:
            found = self._loaded[chart] = self._native.LoadedChart(chart)
        return found

    def forget(self, chart: str) -> None:
        """Drop a loaded chart (its files changed)."""
        self._loaded.pop(chart, None)

    def render(self, chart: str, values: Mapping[str, object], release: str, namespace: str,
               capabilities: Capabilities) -> EngineOutput:
        loaded = self.loaded(chart)
        assert isinstance(loaded, self._native.LoadedChart)
        warnings: list[str] = []
        templates = loaded.render(values, release, namespace, capabilities.kube_version,
                                  capabilities.api_versions, warnings)
        return EngineOutput(templates, loaded.crds(), tuple(warnings))


def _binary() -> HelmEngine:
    from mcgen.helm.binary import BinaryEngine

    return BinaryEngine()


def _sdk() -> HelmEngine:
    return SdkEngine()


ENGINES = {"sdk": _sdk, "binary": _binary}


def engine(name: str) -> HelmEngine:
    """The engine called `name`; KeyError for an unknown one."""
    return ENGINES[name]()
