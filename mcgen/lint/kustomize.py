"""A plain kustomize folder, as `mcgen lint FOLDER` reads it: which files are not objects.

`kustomization.yaml` is kustomize's own file, not a Kubernetes object (it may even lack
`apiVersion` and `kind`), and the files it names as patches, replacements, transformers
or generators are fragments or kustomize configuration: linted as objects they would be
refused ("a document must be a mapping") or judged as if applied (a strategic-merge
patch of a Deployment has no containers' limits). Everything else it names, and every
file it does not name, is linted as usual.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from mcgen.yaml.manifests import DocumentError, parse_documents

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# Fields whose files are not objects to lint (a list of paths, or of {path: ...}).
ASIDE = ("patchesStrategicMerge", "patches", "patchesJson6902", "replacements",
         "transformers", "generators", "validators", "configurations")


def is_kustomization(path: str) -> bool:
    return os.path.basename(path) in KUSTOMIZATION_FILES


def set_aside(files: Iterable[str]) -> set[str]:
    """The kustomization files among `files`, and the files they name under ASIDE, as
    normalised absolute paths."""
    aside: set[str] = set()
    for path in files:
        if is_kustomization(path):
            aside.add(os.path.abspath(path))
            aside.update(_named(path))
    return aside


def _named(path: str) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            parsed = parse_documents(handle.read())
    except (OSError, UnicodeDecodeError):
        return  # the lint reads it no further; kustomize would report it
    if isinstance(parsed, DocumentError) or not parsed or not isinstance(parsed[0].value, dict):
        return
    folder = os.path.dirname(os.path.abspath(path))
    for field in ASIDE:
        entries = parsed[0].value.get(field)
        for entry in entries if isinstance(entries, list) else []:
            named = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(named, str) and "\n" not in named:  # not an inline patch
                yield os.path.normpath(os.path.join(folder, named))
