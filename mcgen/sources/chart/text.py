"""What a chart's text carries besides its documents: the `# Line:` comment that locates a
document in its template's output, the hook label, and the fleet's CRD versions that a
cluster's `.Capabilities` adds."""

from __future__ import annotations

import os

from mcgen.fleet.model import Fleet
from mcgen.yaml.emit import canonical_yaml
from mcgen.yaml.manifests import read_document

LINE_COMMENT = "# Line: "
HOOK_LABEL = "mcgen.dev/helm-hook"


def line_after(lines: list[str], comment_line: int) -> int | None:
    if comment_line < len(lines) and lines[comment_line].startswith(LINE_COMMENT):
        number = lines[comment_line][len(LINE_COMMENT):].strip()
        return int(number) if number.isdigit() else None
    return None


def labelled(text: str) -> str:
    """A hook's document with mcgen's hook label (`kubectl get -l mcgen.dev/helm-hook`)."""
    body = read_document(text, strict=True).value
    if not isinstance(body, dict) or not isinstance(body.get("metadata"), dict):
        return text  # mcgen's parser reports what is wrong with it, located
    labels = body["metadata"].get("labels")
    body["metadata"]["labels"] = {**(labels if isinstance(labels, dict) else {}),
                                  HOOK_LABEL: "true"}
    return canonical_yaml(body)


def crd_versions(fleet: Fleet) -> tuple[tuple[str, str], ...]:
    """(group/version, kind) of every CRD version in `spec.lint.crds`."""
    from mcgen.schemas.validate import SchemaValidator

    validator = SchemaValidator()
    validator.add_crd_paths([os.path.join(fleet.root, p) for p in fleet.crds], fleet.root)
    return tuple(sorted(validator.crds))
