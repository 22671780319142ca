"""The `template:` source: each top-level `*.yaml.j2` of `templates/<name>/`, rendered in
the sandbox with the pair's context (FLEET-SPEC section 4)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache, partial

import jinja2

from mcgen.errors import InputError
from mcgen.fleet.model import Component, Fleet
from mcgen.location import Location, Problem
from mcgen.render.context import build_context, fleet_view
from mcgen.sources.base import Context, Piece, Prepared, Rendition
from mcgen.sources.jinja.compiled import TemplateReads, cache_folder
from mcgen.sources.jinja.hints import go_hint, raw_advice
from mcgen.sources.jinja.keys import TemplateKeys
from mcgen.sources.jinja.limits import bounded_output
from mcgen.sources.jinja.provenance import template_line
from mcgen.sources.jinja.sandbox import TEMPLATE_SUFFIX, make_environment, template_error
from mcgen.sources.jinja.undefined import (
    Lookup,
    MissingValue,
    explain,
    lookup_of,
    pair_text,
    resolve,
)

TEMPLATES = "templates"


@lru_cache(maxsize=1024)
def _listing(folder: str, mtime_ns: int) -> tuple[str, ...]:
    return tuple(sorted(
        name for name in os.listdir(folder)
        if name.endswith(TEMPLATE_SUFFIX) and not name.startswith(("_", "."))
        and os.path.isfile(os.path.join(folder, name))
    ))


def template_files(root: str, template: str) -> tuple[str, ...]:
    """A template folder's top-level `*.yaml.j2` files, sorted; `_*` files are partials."""
    folder = os.path.join(root, TEMPLATES, template)
    return _listing(folder, os.stat(folder).st_mtime_ns)


class JinjaRun:
    """The templates of one fleet: one sandboxed environment, each template parsed once."""

    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet
        compiled = cache_folder()
        self.env = make_environment(os.path.join(fleet.root, TEMPLATES), compiled)
        self.shared = fleet_view(fleet)  # one view serves every pair (see render_key)
        self.keys = TemplateKeys(self.env, TemplateReads(compiled))
        self.sources: dict[str, str] = {}  # each template's text, by repo-relative path
        self._compiled: dict[str, jinja2.Template] = {}
        self._presence: dict[tuple[str, Lookup], tuple[list[str], list[str]]] = {}

    def context(self, component: Component, cluster: str) -> Context:
        """FLEET-SPEC section 4's context of `component` on `cluster`."""
        return build_context(self.fleet, component.name, cluster, self.shared)

    def prepare(self, component: Component, cluster: str) -> Prepared:
        context = self.context(component, cluster)
        pieces: list[Piece] = []
        problems: list[Problem] = []
        if component.source.optional and not os.path.isdir(
                os.path.join(self.fleet.root, TEMPLATES, component.template)):
            return Prepared(context, ())
        for name in template_files(self.fleet.root, component.template):
            found = self.piece(f"{TEMPLATES}/{component.template}/{name}", context)
            if isinstance(found, Piece):
                pieces.append(found)
            else:
                problems.extend(found)
        return Prepared(context, tuple(pieces), tuple(problems))

    def piece(self, shown: str, context: Context) -> Piece | tuple[Problem, ...]:
        """The template at repo-relative `shown` (under templates/) keyed for `context`,
        or why it cannot render. Other sources render their Jinja files through this
        (a chart's `values:` template)."""
        try:
            source = self._text(shown)
            return Piece(JINJA.field, shown, self.keys.key(shown, source, context))
        except InputError as exc:
            return tuple(exc.problems)
        except Exception as exc:
            return tuple(template_error(exc, shown, self._filename(shown)).problems)

    def _compile(self, shown: str) -> jinja2.Template:
        compiled = self._compiled.get(shown)
        if compiled is None:
            name = shown.removeprefix(f"{TEMPLATES}/")
            compiled = self._compiled[shown] = self.env.get_template(name)
        return compiled

    def _filename(self, shown: str) -> str:
        """The path Jinja compiles `shown` under (tracebacks name it)."""
        root = str(getattr(self.env.loader, "templates_dir", ""))
        return os.path.join(root, shown.removeprefix(f"{TEMPLATES}/"))

    def render(self, piece: Piece, context: Context) -> Rendition:
        compiled = self._compiled[piece.origin]
        try:
            return bounded_output(compiled, context)
        except InputError as exc:
            return tuple(exc.problems)
        except Exception as exc:
            filename = compiled.filename or self._filename(piece.origin)
            problems = list(template_error(exc, piece.origin, filename).problems)
            if isinstance(exc, MissingValue):
                problems = self._undefined(exc, problems, context)
            return tuple(self._go_syntax(p, piece.origin) for p in problems)

    def _go_syntax(self, problem: Problem, origin: str) -> Problem:
        """`{{ if .Values.x }}` parses in Jinja (as the name `if`) and fails as undefined:
        the line's Go template syntax gets the `{% raw %}` advice too."""
        where = problem.location
        found = go_hint(self.sources.get(origin), where.line) if where.path == origin else None
        if found is None:
            return problem
        return Problem(where._replace(col=found.column),
                       f"{problem.message}; {raw_advice(found)}")

    def _undefined(self, exc: MissingValue, problems: Sequence[Problem],
                   context: Context) -> list[Problem]:
        """The undefined-value problem naming the pair, the path and what exists there."""
        lookup = lookup_of(exc, context)
        if lookup is None:  # a mapping the template built: Jinja's words, and the pair
            return [Problem(p.location, f"{p.message}{pair_text(context)}") for p in problems]
        text = explain(lookup, context, partial(self.presence, _name_in(context)))
        return [Problem(p.location, text) for p in problems]

    def presence(self, component: str, lookup: Lookup) -> tuple[list[str], list[str]]:
        """The clusters of `component` whose context has `lookup`, and those lacking it
        (worked out once per component and path: a fleet-wide typo asks on every pair)."""
        key = (component, lookup)
        found = self._presence.get(key)
        if found is None:
            have: list[str] = []
            lack: list[str] = []
            path = (*lookup.parent, lookup.name)
            for cluster in self.fleet.placements.get(component, ()):
                context = build_context(self.fleet, component, cluster, self.shared)
                (have if resolve(context, path)[0] else lack).append(cluster)
            found = self._presence[key] = (have, lack)
        return found

    def salt(self) -> str:
        return ""  # its keys are its templates and the context they read

    def warm(self, pieces: Sequence[tuple[Piece, Context]]) -> None:
        return  # rendering is in-process: nothing to overlap

    def locate(self, piece: Piece, text: str, rendered_line: int) -> Location:
        source = self._source(piece.origin)
        if source is None:
            return Location(piece.origin)
        return Location(piece.origin, template_line(source, text, rendered_line), 1)

    def _text(self, shown: str) -> str:
        """The template's text, compiled and read once a run (raises as `_compile`)."""
        found = self.sources.get(shown)
        if found is None:
            found = self.sources[shown] = _source_of(self._compile(shown))
        return found

    def _source(self, shown: str) -> str | None:
        """The template's text, also for a piece this run did not prepare (one recorded
        by the last render); None where it cannot be read."""
        try:
            return self._text(shown)
        except Exception:  # `piece` reports it, where the piece is prepared
            return None


def _name_in(context: Context) -> str:
    component = context.get("component")
    return str(component.get("name")) if isinstance(component, dict) else ""


def _source_of(compiled: jinja2.Template) -> str:
    with open(compiled.filename or "", encoding="utf-8") as handle:
        return handle.read()


class JinjaSource:
    """`template: <name>`: the folder `templates/<name>/`."""

    field = "template"
    verbatim = False
    memoized = True
    concurrent = False
    recallable = True  # a template's text is read again when a finding needs its lines
    forkable = True

    def inputs(self, fleet: Fleet, component: Component) -> Iterable[str]:
        # A template can include or import any file of templates/.
        return (TEMPLATES,)

    def start(self, fleet: Fleet) -> JinjaRun:
        return JinjaRun(fleet)


JINJA = JinjaSource()
