"""One render of a fleet's `chart:` components (`mcgen.sources.chart.source` starts it).

A piece is the whole chart on one cluster. Its key digests the chart's files, the key of
its `values:` template's text for the pair (so the fleet's value layering reaches the
chart), the release and namespace, the cluster's capabilities, `skipTests`, the engine and
mcgen's code; keys are made in pure Python (forked workers make them), and only the main
process calls Helm. Each distinct (chart, values, capabilities) renders once
(`mcgen.helm.cache`); texts are kept for the next run like templates'.

The text names each document's chart template with Helm's `# Source:` comment (the
repo-relative file) followed by `# Line: N`, the line of that template's output where
the document starts, so findings point at the chart template and its line.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from mcgen.fleet.model import Component, Fleet
from mcgen.fleet.sources import path_problem
from mcgen.helm.cache import ChartRenders, request_key
from mcgen.helm.capabilities import Capabilities, for_cluster
from mcgen.helm.engines import HelmEngine, engine
from mcgen.helm.files import ChartFiles, ChartFilesError, read_chart
from mcgen.helm.lock import lock_problems
from mcgen.helm.render import ChartObject, ChartProblem, ChartRequest, chart_file
from mcgen.location import Location, Problem
from mcgen.render.memo import code_fingerprint
from mcgen.sources.base import Context, Piece, Prepared, Rendition
from mcgen.sources.chart.text import LINE_COMMENT, crd_versions, labelled, line_after
from mcgen.sources.jinja.provenance import template_line
from mcgen.sources.jinja.source import JINJA
from mcgen.sources.origins import SOURCE_COMMENT, origin_at
from mcgen.yaml.manifests import read_document
from mcgen.yaml.nodes import document_at, walk

ENGINE_VARIABLE = "MCGEN_HELM"  # "sdk" (default) or "binary"


class _Pending(NamedTuple):
    component: Component
    cluster: str
    chart: ChartFiles
    shown: str
    values: Piece | None
    capabilities: Capabilities


class ChartRun:
    """The charts of one fleet: Helm is loaded on the first render, never in a worker."""

    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet
        self.jinja = JINJA.start(fleet)
        self.engine_name = os.environ.get(ENGINE_VARIABLE, "sdk") or "sdk"
        self._renders: ChartRenders | None = None
        self._pending: dict[str, _Pending] = {}
        self._crds = crd_versions(fleet)
        self._lock: list[Problem] | None = None
        self.sources: dict[str, str] = {}  # chart template texts by repo-relative file
        # each chart folder is read once a run, not once per cluster
        self._charts: dict[tuple[str, str], tuple[ChartFiles, str] | Problem | None] = {}
        self.pairs: set[tuple[str, str]] = set()  # (chart component, cluster) prepared
        self._read: set[str] = set()  # charts whose sources `locate` read itself

    @property
    def renders(self) -> ChartRenders:
        if self._renders is None:
            self._renders = ChartRenders(_engine(self.engine_name))
        return self._renders

    def prepare(self, component: Component, cluster: str) -> Prepared:
        context = self.jinja.context(component, cluster)
        chart = self._chart(component, cluster)
        if chart is None:  # `optional: true` and no chart there: nothing on this cluster
            return Prepared(context, (), ())
        if isinstance(chart, Problem):
            return Prepared(context, (), (chart,))
        files, shown = chart
        values: Piece | None = None
        if component.source.values:
            missing = self._values_problem(component)
            if missing is not None:
                return Prepared(context, (), (missing,))
            found = self.jinja.piece(component.source.values, context)
            if not isinstance(found, Piece):
                return Prepared(context, (), found)
            values = found
        capabilities = for_cluster(self.fleet.clusters[cluster].kubernetes_version, self._crds)
        pending = _Pending(component, cluster, files, shown, values, capabilities)
        key = self._key(pending)
        self._pending[key] = pending
        self.pairs.add((component.name, cluster))
        return Prepared(context, (Piece("chart", shown, key),), ())

    def _values_problem(self, component: Component) -> Problem | None:
        path = component.source.values or ""
        where = self.fleet.where_component(component.name, "chart", "values")
        reason = path_problem(path)
        if not reason and not path.startswith("templates/"):
            reason = "must be a Jinja2 template under templates/"
        if not reason and not os.path.isfile(os.path.join(self.fleet.root, path)):
            reason = "no such file"
        if not reason:
            return None
        return Problem(where, f"component {component.name!r}: `values: {path}` (the chart's "
                       f"values template): {reason}")

    def _chart(self, component: Component, cluster: str
               ) -> tuple[ChartFiles, str] | Problem | None:
        path = component.source.path_for(cluster).rstrip("/")
        known = (component.name, path)
        if known not in self._charts:
            self._charts[known] = self._read_chart(component, path)
        return self._charts[known]

    def _read_chart(self, component: Component, path: str
                    ) -> tuple[ChartFiles, str] | Problem | None:
        spec = component.source
        if spec.optional and not path_problem(path) and not os.path.lexists(
                os.path.join(self.fleet.root, path)):
            return None
        where = self.fleet.where_component(component.name, spec.kind, "path")
        shown = f"component {component.name!r}: `chart: {spec.path}`"
        reason = path_problem(path)
        if reason:
            return Problem(where, f"{shown}: {reason}")
        try:
            return read_chart(os.path.join(self.fleet.root, path), self.fleet.root), path
        except ChartFilesError as exc:
            return Problem(where, f"{shown}: {exc}")

    def _key(self, pending: _Pending) -> str:
        values_key = pending.values.key if pending.values is not None else ""
        request = _request(pending, {"values-key": values_key})
        parts = [code_fingerprint(), request_key(self.engine_name, request)]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def render(self, piece: Piece, context: Context) -> Rendition:
        pending = self._pending[piece.key]
        problems = list(self._lock_problems())
        unavailable = self._unavailable()
        if unavailable:
            where = self.fleet.where_component(pending.component.name, "chart")
            problems.append(Problem(where, unavailable))
        if problems:
            return tuple(problems)
        values = self._values(pending, context)
        if isinstance(values, tuple):
            return values
        result = self.renders.render(_request(pending, values))
        if result.problems:
            return tuple(self._problem(pending, p, context) for p in result.problems)
        return "".join(self._document(pending, obj) for obj in result.objects)

    def _unavailable(self) -> str:
        """Why charts cannot render here ("" when they can): no such engine, or its
        package or binary is missing."""
        from mcgen.helm.engines import ENGINES

        if self.engine_name not in ENGINES:
            return (f"{ENGINE_VARIABLE}={self.engine_name} names no Helm engine (there are: "
                    f"{', '.join(sorted(ENGINES))})")
        return self.renders.engine.available()

    def _lock_problems(self) -> list[Problem]:
        if self._lock is None:
            used = {c.source.path for c in self.fleet.components.values()
                    if c.source.kind == "chart"}
            self._lock = list(lock_problems(self.fleet, used))
        return self._lock

    def _values(self, pending: _Pending, context: Context
                ) -> Mapping[str, object] | tuple[Problem, ...]:
        if pending.values is None:
            return {}
        text = self.jinja.render(pending.values, context)
        if not isinstance(text, str):
            return text
        read = read_document(text, strict=True)
        if read.error:
            return (Problem(Location(pending.values.origin, 1, 1),
                            f"the chart values rendered for cluster {pending.cluster!r} are "
                            f"not valid YAML: {read.error}"),)
        loaded = read.value
        if loaded is None:
            return {}
        if not isinstance(loaded, dict):
            return (Problem(Location(pending.values.origin, 1, 1),
                            "the chart values must be a mapping"),)
        return loaded

    def _problem(self, pending: _Pending, problem: ChartProblem, context: Context) -> Problem:
        fleet_line = self.fleet.where_component(pending.component.name, "chart")
        suffix = (f" (component {pending.component.name!r} on cluster {pending.cluster!r}, "
                  f"{fleet_line})")
        if problem.value_path and pending.values is not None:
            where = self._value_location(pending, problem.value_path, context)
            return Problem(where, problem.message + suffix)
        if problem.value_path or not problem.file:
            return Problem(fleet_line, problem.message + f" (cluster {pending.cluster!r})")
        return Problem(Location(problem.file, problem.line, problem.column or 1),
                       problem.message + suffix)

    def _value_location(self, pending: _Pending, path: tuple[str, ...], context: Context
                        ) -> Location:
        assert pending.values is not None
        text = self.jinja.render(pending.values, context)
        if not isinstance(text, str):
            return Location(pending.values.origin, 1, 1)
        line, _ = walk(document_at(text, 1), path)
        return self.jinja.locate(pending.values, text, max(line, 1))

    def _document(self, pending: _Pending, obj: ChartObject) -> str:
        if obj.file not in self.sources:
            inside = obj.source.split("/", 1)[-1]
            self.sources[obj.file] = dict(pending.chart.sources).get(inside, "")
        text = labelled(obj.text) if obj.hook else obj.text
        return f"---\n{SOURCE_COMMENT}{obj.file}\n{LINE_COMMENT}{obj.line}\n{text}"

    def salt(self) -> str:
        return self.engine_name  # part of every render's key

    def warm(self, pieces: Sequence[tuple[Piece, Context]]) -> None:
        """Nothing to make ahead: Helm renders in this process (the source is not
        `concurrent`); distinct renders are shared through `mcgen.helm.cache`."""

    def _read_sources(self, shown: str) -> None:
        """The template texts of the chart at `shown`, for a piece whose text came from
        the memo (this run did not render it): what `locate` points into."""
        if shown in self._read:
            return
        self._read.add(shown)
        try:
            chart = read_chart(os.path.join(self.fleet.root, shown), self.fleet.root)
        except ChartFilesError:
            return  # the line in the rendered output is all there is to point at
        for inside, text in chart.sources:
            self.sources.setdefault(chart_file(shown, inside), text)

    def locate(self, piece: Piece, text: str, rendered_line: int) -> Location:
        origin = origin_at(text, rendered_line)
        if origin is None:
            return Location(piece.origin)
        lines = text.splitlines()
        start = line_after(lines, origin.line)
        if start is None:
            return Location(origin.path)
        output_line = start + rendered_line - (origin.line + 2)
        if origin.path not in self.sources:
            self._read_sources(piece.origin)
        source = self.sources.get(origin.path)
        if not source:
            return Location(origin.path, max(output_line, 1), 1)
        body = "\n".join(lines[origin.line + 1:])
        return Location(origin.path, template_line(source, "\n" * (start - 1) + body,
                                                   max(output_line, 1)), 1)


def _request(pending: _Pending, values: Mapping[str, object]) -> ChartRequest:
    component = pending.component
    release = component.source.release or component.name
    return ChartRequest(pending.chart, pending.shown, values, release, component.namespace,
                        pending.capabilities, component.source.skip_tests)


def _engine(name: str) -> HelmEngine:
    from mcgen.helm.engines import ENGINES

    return engine(name if name in ENGINES else "sdk")  # an unknown name is reported first
