"""The explicit list of output engines (`spec.output.engine`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mcgen.output.engines import argocd, flux, kustomize
from mcgen.output.engines.base import OutputEngine

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet

ENGINE_MODULES: tuple[OutputEngine, ...] = (flux, argocd, kustomize)


def _index(modules: tuple[OutputEngine, ...]) -> dict[str, OutputEngine]:
    found: dict[str, OutputEngine] = {}
    for module in modules:
        if module.NAME in found:
            raise RuntimeError(f"duplicate output engine {module.NAME!r}")
        found[module.NAME] = module
    return found


ENGINES: dict[str, OutputEngine] = _index(ENGINE_MODULES)


def engine_of(fleet: Fleet) -> OutputEngine:
    """The engine the fleet names (the schema admits only registered names)."""
    return ENGINES[fleet.output.engine]
