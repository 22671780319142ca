"""What every component source is: the typed contract the render pipeline talks to.

See `mcgen.sources` for how a new kind of source plugs in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from mcgen.fleet.model import Component, Fleet
from mcgen.location import Location, Problem

# The data a (component, cluster) pair renders from: FLEET-SPEC section 4's context for the
# sources that template, {} for those that do not.
Context = dict[str, object]


class Piece(NamedTuple):
    """One unit of rendered text for a (component, cluster): a template file, one
    kustomize build, one verbatim file. Plain data: it crosses process boundaries."""

    source: str  # the registry key of the source that made it
    origin: str  # the repo-relative file (or folder) it comes from, for headers and findings
    key: str  # a digest of everything its text is made of (memo key, part of cluster keys)
    name: str = ""  # a verbatim piece's file name in the output; else unused


class Prepared(NamedTuple):
    """A pair before it renders: its context, its pieces, and what stops some of them."""

    context: Context
    pieces: tuple[Piece, ...]
    problems: tuple[Problem, ...] = ()


# What rendering one piece gives: its text, or every problem found (never an exception).
Rendition = str | tuple[Problem, ...]


class SourceRun(Protocol):
    """One source kind rendering one fleet: it holds what the fleet's pairs share
    (a Jinja environment and parsed templates, a kustomize binary), and answers for
    the pieces it made."""

    def prepare(self, component: Component, cluster: str) -> Prepared:
        """The pieces of `component` on `cluster`, keyed, without rendering them."""
        ...

    def render(self, piece: Piece, context: Context) -> Rendition:
        """The piece's text (YAML documents, optionally `# Source: path` comment lines
        before a document to name the file it came from)."""
        ...

    def locate(self, piece: Piece, text: str, rendered_line: int) -> Location:
        """The source file and line that produced line `rendered_line` of `text`."""
        ...

    def salt(self) -> str:
        """What every key this run makes depends on besides the pair's context, the
        content of the files its source's `inputs` name, and mcgen's code (a tool's
        identity, an engine chosen by the environment); "" for nothing. A cluster whose
        values and facts are those recorded keeps its recorded key only while the salt
        is unchanged (`mcgen.render.pairs`)."""
        ...

    def warm(self, pieces: Sequence[tuple[Piece, Context]]) -> None:
        """Make ahead, at once, the texts `render` will be asked for (those the memo
        lacks): a source whose renders wait on processes runs them concurrently. Called
        only for sources that say `concurrent`; the others do nothing here."""
        ...


class ComponentSource(Protocol):
    """A kind of component source, named by the fleet spec field that selects it."""

    @property
    def field(self) -> str:
        """The component field naming this source (`template`, `kustomize`, ...)."""
        ...

    @property
    def verbatim(self) -> bool:
        """Whether its texts are written byte for byte: no header, labels, namespace."""
        ...

    @property
    def memoized(self) -> bool:
        """Whether its texts are kept in mcgen's state folder for the next run (worth it
        when making one costs more than reading it back; never for secrets)."""
        ...

    @property
    def concurrent(self) -> bool:
        """Whether its run wants `warm` called with every piece to render first."""
        ...

    @property
    def recallable(self) -> bool:
        """Whether a piece of it whose text the memo holds may stand in a render without
        `prepare` having made it (a cluster unchanged since the last render renders from
        its recorded pieces, `mcgen.render.engine.FleetRender`): its run then answers
        for the piece (`locate`) from the piece and its text alone."""
        ...

    @property
    def forkable(self) -> bool:
        """Whether its run may go on in a forked process: a large fleet's render then
        renders, plans and stages its parts side by side, one process a core
        (`mcgen.output.whole`). False for a run holding what a fork breaks (a Go
        runtime, threads it keeps)."""
        ...

    def inputs(self, fleet: Fleet, component: Component) -> Iterable[str]:
        """Every repo-relative file or folder (read whole) that `component` can read on
        any of its clusters: the no-op check fingerprints them, `diff` and `ci` take
        them from git."""
        ...

    def start(self, fleet: Fleet) -> SourceRun:
        """A run of this source over `fleet`."""
        ...
