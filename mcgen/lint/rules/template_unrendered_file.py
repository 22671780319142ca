"""template-unrendered-file: a manifest in a template folder that is never rendered.

A template folder renders its top-level `*.yaml.j2` files (FLEET-SPEC section 4); files
whose names start with `_` are partials, included by the others. A plain `service.yaml`
(or `.yml`, `.json`, `.yml.j2`) next to them is neither: it renders nothing, silently,
although it reads like part of the component. This warning names it.

Fix: rename it `service.yaml.j2` to render it (it then goes through Jinja2: wrap any Go
template syntax such as `{{ $labels.x }}` in `{% raw %}...{% endraw %}`), or
`_service.yaml` to keep it aside on purpose.

Example finding:

    templates/web/service.yaml: warning: is not rendered: a template folder renders only
    its *.yaml.j2 files; rename it service.yaml.j2 to render it, or _service.yaml to keep
    it aside [template-unrendered-file]
        fleet: fleets/acme.yaml:40:7
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import Subject
from mcgen.location import Location
from mcgen.sources.jinja.sandbox import TEMPLATE_SUFFIX
from mcgen.sources.jinja.source import TEMPLATES

ID = "template-unrendered-file"
SEVERITY = Severity.WARNING
_RULE = sys.modules[__name__]
LOOKS_RENDERED = (".yaml", ".yml", ".json", ".yml.j2", ".json.j2")


def check(subject: Subject) -> Iterator[Finding]:
    fleet = subject.fleet
    if fleet is None or not subject.in_shard(""):
        return
    seen: set[str] = set()
    for component in fleet.components.values():
        if not component.template or component.template in seen:
            continue
        seen.add(component.template)
        folder = posixpath.join(TEMPLATES, component.template)
        for name in _unrendered(os.path.join(fleet.root, folder)):
            stem = name[:name.index(".")] if "." in name else name
            yield subject.fleet_finding(
                _RULE, f"is not rendered: a template folder renders only its *{TEMPLATE_SUFFIX}"
                f" files; rename it {stem}{TEMPLATE_SUFFIX} to render it, or _{name} to keep "
                "it aside", Location(posixpath.join(folder, name)), f"*/{component.name}",
                related=(("fleet", fleet.where_component(component.name, "template")),))


def _unrendered(folder: str) -> list[str]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []  # a missing folder is the render's input error
    return [name for name in names
            if name.endswith(LOOKS_RENDERED) and not name.endswith(TEMPLATE_SUFFIX)
            and not name.startswith(("_", ".")) and os.path.isfile(os.path.join(folder, name))]
