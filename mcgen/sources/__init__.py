"""Component sources: what a component renders from (FLEET-SPEC section 8).

A component names exactly one source by a field of its own (`template:`, `chart:`,
`kustomize:`, `manifests:`). Each kind is a `ComponentSource` (`mcgen.sources.base`)
listed in `mcgen.sources.registry.SOURCES` under that field's name. The render pipeline
knows nothing else about sources: once a source has turned a (component, cluster) pair
into text, everything after (parsing, labels and namespace, the tree, every lint rule,
the caches) is the same for all of them.

The contract, in the order the pipeline uses it:

1. `inputs(fleet, component)`: every repo-relative file or folder the component can read
   on any cluster. The no-op `render --check` fingerprints them (a change to any is seen
   without rendering), and `mcgen diff` / `mcgen ci` take them out of git
   (`mcgen.changes.committed_fleets`; inputs may name more inputs once written: a
   kustomize overlay's bases).
2. `start(fleet)`: a `SourceRun`, made once per render of a fleet, that holds what the
   fleet's pairs share (forked workers inherit it; it is never sent between them).
3. `run.prepare(component, cluster)`: a `Prepared` with the pair's context and its
   `Piece`s, each with a `key` that digests everything its text is made of (the source's
   files, the values it reads, mcgen's code via `mcgen.render.memo.code_fingerprint`, the
   tool's identity). Equal keys must mean equal texts: the memo reuses texts by key, and
   a cluster whose pieces' keys are unchanged is not rendered at all. Problems found
   here (a missing folder) are returned, never raised, located at the fleet line.
4. `run.render(piece, context)`: the piece's text, or a tuple of `Problem`s (exit 2,
   nothing written) located at the source's own file and line.
5. `run.locate(piece, text, rendered_line)`: the source file and line behind a line of
   the text; lint findings name it next to the generated file and the fleet line.

Five flags say how the rest treats a source and its texts: `verbatim` (written byte
for byte as the piece's text: no header, labels or namespace; still parsed and linted),
`memoized` (texts kept in mcgen's state folder for the next run: worth it when making
one costs more than reading it; never for sources that may hold secrets),
`concurrent` (before rendering, `run.warm(pieces)` is given every piece the memo lacks,
with its context, to make them at once: kustomize runs its builds side by side; the
others implement `warm` as a no-op), `recallable` (a piece whose text the memo holds
may stand in a render without `prepare`: a cluster whose facts are the ones the last
render recorded renders from its recorded pieces; the run must then `locate` from the
piece and its text alone, reading what it needs itself), and `forkable` (its run may go
on in a forked process: a large fleet renders its parts side by side, one process a
core; Helm's in-process engine, a Go runtime, does not survive fork).

Adding a source (say Helm charts, `chart:`):

- the spec side already parses the field: `mcgen.fleet.sources.SourceSpec` has `kind`
  ("chart"), `path` (with `{cluster}` replaced by `path_for(cluster)`), `values`,
  `release`, `optional`; `mcgen.sources.paths` checks and expands paths;
- write `mcgen/sources/<kind>/source.py` with a class whose `field` is the spec field,
  `verbatim`, `memoized`, `concurrent`, `recallable`, `forkable`, `inputs()` and
  `start()`, and a run class with `prepare()`, `render()` and `locate()`; mypy --strict
  checks it against the Protocols when it is listed in the registry: add `"chart":
  CHARTS` to `SOURCES`;
- Jinja files a source renders (a chart's `values:` template) go through
  `mcgen.sources.jinja.source.JinjaRun`: `run.context(component, cluster)` gives the
  section-4 context and `run.piece(path, context)` / `run.render(piece, context)` the
  text, sandboxed, with errors at the template's line;
- a text may put a `# Source: <repo-relative path>` comment line before a document to
  name the file it came from (Helm does); `mcgen.sources.origins` maps those back;
- until a kind is registered, a component naming it is an input error at its line.
"""
