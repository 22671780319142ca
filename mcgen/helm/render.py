"""Render one chart for one cluster: every check Helm's engine leaves to its callers.

In order: the chart must be an application chart whose `kubeVersion` admits the
cluster's version (`helm template` refuses otherwise; the engine does not check);
the engine renders it (values are the chart's defaults under the component's, checked
against `values.schema.json` by Helm); output that changes between runs is refused
(`mcgen.helm.determinism`); hooks are kept and marked, test hooks refused unless the
component skips them (`skipTests: true`, as `helm template --skip-tests`); `crds/`
files come first, then every manifest template in name order, split as Helm splits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import NamedTuple

from mcgen.helm import determinism
from mcgen.helm.capabilities import Capabilities
from mcgen.helm.documents import ChartDocument, documents, hook_of, split
from mcgen.helm.engines import EngineOutput, HelmEngine
from mcgen.helm.files import ChartFiles
from mcgen.helm.native import HelmFailure
from mcgen.helm.semver import ConstraintError, satisfies
from mcgen.yaml.manifests import read_document

TEST_HOOKS = frozenset({"test", "test-success", "test-failure"})
# Helm names the template in several shapes: "template: c/templates/x.yaml:3:7: ...",
# "execution error at (c/templates/x.yaml:1:3): ...", "parse error at (c/templates/x:1)".
_TEMPLATE_AT = re.compile(r"([^\s:()\"<>]+/templates/[^\s:()\"<>]+):(\d+)(?::(\d+))?")
_SCHEMA_AT = re.compile(r"^- at '([^']*)': (.*)$", re.M)


class ChartRequest(NamedTuple):
    chart: ChartFiles
    shown: str  # the chart's repo-relative path, as the fleet names it
    values: Mapping[str, object]
    release: str
    namespace: str
    capabilities: Capabilities
    skip_tests: bool = False


class ChartProblem(NamedTuple):
    message: str
    file: str  # repo-relative file it is in; "" when it is the values themselves
    line: int = 0
    column: int = 0
    value_path: tuple[str, ...] = ()  # where in the values, for a schema violation


class ChartObject(NamedTuple):
    """One document of the chart's output, with where it came from."""

    source: str  # Helm's `# Source:` name, "chart/templates/x.yaml"
    file: str  # that template's repo-relative file
    text: str
    line: int  # 1-based line of the template's rendered output
    hook: str  # the `helm.sh/hook` annotation, "" for an ordinary object
    crd: bool  # from the chart's `crds/` folder


class ChartResult(NamedTuple):
    objects: tuple[ChartObject, ...]
    problems: tuple[ChartProblem, ...]
    warnings: tuple[str, ...]


def template_file(request: ChartRequest, source: str) -> str:
    """The repo-relative file of a Helm template name (an archive's: `x.tgz/templates/y`)."""
    inside = source.split("/", 1)[1] if "/" in source else source
    return chart_file(request.shown, inside)


def chart_file(shown: str, inside: str) -> str:
    """The repo-relative file of the chart at `shown` that is `inside` it."""
    return f"{shown.rstrip('/')}/{inside}"


def render_chart(engine: HelmEngine, request: ChartRequest) -> ChartResult:
    """The chart's objects for one cluster, or the problems that stop it."""
    metadata, problem = _metadata(request)
    if problem is not None:
        return ChartResult((), (problem,), ())
    refused = _kube_version(request, metadata)
    if refused is not None:
        return ChartResult((), (refused,), ())
    try:
        output = _engine_render(engine, request, request.values)
    except HelmFailure as exc:
        return ChartResult((), tuple(_failure(request, exc)), ())
    objects = _objects(request, output)
    problems = [p for p in objects if isinstance(p, ChartProblem)]
    kept = tuple(o for o in objects if isinstance(o, ChartObject))
    if determinism.random_calls(request.chart.sources):
        unstable = list(_unstable(engine, request, output))
        named = {p.file for p in unstable}
        problems = [p for p in problems if p.file not in named] + unstable
    return ChartResult(kept if not problems else (), tuple(problems), output.warnings)


def _engine_render(engine: HelmEngine, request: ChartRequest, values: Mapping[str, object]
                   ) -> EngineOutput:
    return engine.render(request.chart.path, values, request.release, request.namespace,
                         request.capabilities)


@lru_cache(maxsize=256)
def _chart_yaml(text: str) -> tuple[object, str]:
    loaded = read_document(text, strict=False)
    return loaded.value, loaded.error


def _metadata(request: ChartRequest) -> tuple[dict[str, object], ChartProblem | None]:
    where = template_file(request, "_/Chart.yaml")
    loaded, error = _chart_yaml(request.chart.chart_yaml)
    if error:
        return {}, ChartProblem(f"Chart.yaml is not valid YAML: {error}", where)
    if not isinstance(loaded, dict) or not loaded.get("name"):
        return {}, ChartProblem("Chart.yaml has no chart name: this is not a Helm chart", where)
    if loaded.get("type") == "library":
        return loaded, ChartProblem(
            f"chart {loaded['name']!r} is a library chart, which renders no objects: use it "
            "as a dependency (in the `charts/` folder) of an application chart", where)
    return loaded, None


def _kube_version(request: ChartRequest, metadata: Mapping[str, object]) -> ChartProblem | None:
    constraint = metadata.get("kubeVersion")
    if not isinstance(constraint, str) or not constraint.strip():
        return None
    where = template_file(request, "_/Chart.yaml")
    version = request.capabilities.kube_version
    try:
        if satisfies(version, constraint):
            return None
    except ConstraintError as exc:
        return ChartProblem(f"the chart's kubeVersion {constraint!r} cannot be read: {exc}",
                            where)
    return ChartProblem(
        f"chart {metadata.get('name')} {metadata.get('version')} requires Kubernetes "
        f"{constraint} (its kubeVersion), and this cluster runs {version}: `helm template` "
        "refuses it too; place the component on newer clusters or use a chart version "
        "that supports this one", where)


def _failure(request: ChartRequest, exc: HelmFailure) -> Iterator[ChartProblem]:
    if exc.kind == "values":
        violations = _SCHEMA_AT.findall(exc.message)
        for pointer, reason in violations:
            path = tuple(p for p in pointer.split("/") if p)
            shown = ".".join(path) or "(the values as a whole)"
            yield ChartProblem(f"value {shown}: {reason} (the chart's values.schema.json)",
                               "", value_path=path)
        if violations:
            return
    found = _TEMPLATE_AT.search(exc.message)
    if found is None:
        yield ChartProblem(f"Helm could not render the chart: {exc.message}",
                           template_file(request, "_/Chart.yaml") if exc.kind == "load"
                           else request.shown)
        return
    line, column = int(found.group(2)), int(found.group(3) or 0)
    yield ChartProblem(f"chart template failed: {' '.join(exc.message.split())}",
                       template_file(request, found.group(1)), line, column)


def _objects(request: ChartRequest, output: EngineOutput
             ) -> list[ChartObject | ChartProblem]:
    found: list[ChartObject | ChartProblem] = []
    for crd in output.crds:
        for doc in split(crd.shown, crd.text):
            found.append(ChartObject(doc.source, template_file(request, doc.source), doc.text,
                                     doc.line, "", True))
    for doc in documents(output.templates):
        found.extend(_judged(request, doc))
    return found


def _judged(request: ChartRequest, doc: ChartDocument) -> Iterator[ChartObject | ChartProblem]:
    hook = _hook(doc.text)
    file = template_file(request, doc.source)
    tests = _tests(hook)
    if tests and request.skip_tests:
        return
    if tests:
        yield ChartProblem(
            f"chart test hook ({hook}): `helm test` has no GitOps meaning, and Argo CD and "
            "Flux would apply the Pod like any object; set `skipTests: true` on the "
            "component's chart (as `helm template --skip-tests`) to leave tests out",
            file, doc.line)
        return
    yield ChartObject(doc.source, file, doc.text, doc.line, hook, False)


def _hook(text: str) -> str:
    """The hook annotation of a document, judged on the parsed object when the text
    mentions one (a comment or a value saying `helm.sh/hook` is no hook)."""
    if "helm.sh/hook" not in text:
        return ""
    loaded = read_document(text, strict=False)
    if loaded.error:
        return hook_of(text)  # mcgen's parser reports the error itself, located
    body = loaded.value
    meta = body.get("metadata") if isinstance(body, dict) else None
    notes = meta.get("annotations") if isinstance(meta, dict) else None
    value = notes.get("helm.sh/hook") if isinstance(notes, dict) else None
    return str(value).strip() if value else ""


def _unstable(engine: HelmEngine, request: ChartRequest, first: EngineOutput
              ) -> Iterator[ChartProblem]:
    """Each template whose output a second render changes, with a value turning it off."""
    second = _engine_render(engine, request, request.values)
    kept = _kept_texts(request, first), _kept_texts(request, second)
    sources = dict(request.chart.sources)

    def again(values: Mapping[str, object]) -> dict[str, str]:
        return _kept_texts(request, _engine_render(engine, request, values))

    for name in determinism.differing(*kept):
        inside, subchart = _inside(name)
        source = sources.get(inside, "")
        calls = determinism.random_calls(((inside, source),)) or determinism.random_calls(
            request.chart.sources)
        if _is_test(name, first):
            hint = ("it is a Helm test hook: set `skipTests: true` on the component's chart "
                    "to leave the chart's tests out (as `helm template --skip-tests`)")
        else:
            way_out = determinism.turning_off(name, source, request.values, again, subchart)
            hint = (f"set `{way_out}` in the component's chart values to turn it off"
                    if way_out else "no value of the chart was found that turns it off: give "
                    "the generated field a fixed value (or an existing Secret) in the values")
        yield ChartProblem(
            f"chart template renders differently on every run (it calls {', '.join(calls)}), "
            f"which would make mcgen's output change on each render: {hint}",
            template_file(request, name))


def _is_test(name: str, output: EngineOutput) -> bool:
    return any(_tests(_hook(doc.text)) for doc in split(name, output.templates.get(name, "")))


def _tests(hook: str) -> bool:
    return bool({h.strip() for h in hook.split(",")} & TEST_HOOKS)


def _kept_texts(request: ChartRequest, output: EngineOutput) -> dict[str, str]:
    """Each manifest template's documents, joined (test hooks left out when skipped)."""
    texts: dict[str, list[str]] = {}
    for doc in documents(output.templates):
        if not (request.skip_tests and _tests(_hook(doc.text))):
            texts.setdefault(doc.source, []).append(doc.text)
    return {name: "---\n".join(parts) for name, parts in texts.items()}


def _inside(source: str) -> tuple[str, str]:
    """(path inside the top chart's folder, the subchart's name or "")."""
    inside = source.split("/", 1)[1] if "/" in source else source
    parts = inside.split("/")
    if len(parts) > 2 and parts[0] == "charts":
        return inside, parts[1]
    return inside, ""

