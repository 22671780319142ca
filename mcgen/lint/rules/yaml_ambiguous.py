"""yaml-ambiguous-scalar: a template writes an unquoted value that YAML readers disagree on,
where Kubernetes wants a string.

kubectl, Flux and Argo CD read YAML through goyaml.v2 (`n` is false, `1e3` is the float
1000), kustomize through goyaml.v3 (`n` is the string "n"), Python tools through YAML 1.1
or 1.2 (`1e3` is a string to PyYAML). mcgen reads manifests as kubectl does, so an
annotation `big: 1e3` is written as `1000.0` and refused by the API server, and a label
`enabled: n` becomes `false`. The finding names the rendered line and the template line,
and what each reader makes of the text. Quote the value in the template (`big: "1e3"`).

Rendered objects are checked in their template's output (the finding also names the
template line), files given to `mcgen lint` as written. Checked where Kubernetes wants a
string: every mapping key, `metadata.labels` and
`metadata.annotations` values, ConfigMap and Secret `data`/`stringData`/`binaryData`
values, container `env[].value`, `args` and `command` items. docs/yaml.md has the table.

Example finding:

    clusters/us-east/web/configmap-web.yaml:7:8: error: annotation 'big' is written
    unquoted as 1e3, which readers disagree on (goyaml.v2: float 1000.0, goyaml.v3:
    float 1000.0, YAML 1.1: string '1e3', YAML 1.2: float); quote it [yaml-ambiguous-scalar]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import LintObject, Subject
from mcgen.yaml.manifests import may_resolve_otherwise
from mcgen.yaml.nodes import PlainScalar, plain_scalars
from mcgen.yaml.resolve import kubernetes_readers_disagree, meanings

ID = "yaml-ambiguous-scalar"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]
_STRING_MAPS = {("data",), ("stringData",), ("binaryData",)}
_STRING_LISTS = (("args",), ("command",))


def check(subject: Subject) -> Iterator[Finding]:
    # Replicas share their template's output: the prefilter runs once per distinct text
    # (341 texts for 80,000 objects in the benchmark fleet, instead of 80,000 scans).
    suspect: dict[str, bool] = {}
    for obj in subject.objects:
        source = obj.rendered
        text, line = (source.text, source.line) if source is not None else (obj.text, obj.line)
        if text not in suspect:
            suspect[text] = may_resolve_otherwise(text)
        if not suspect[text]:
            continue
        for scalar in plain_scalars(text, line):
            where = _string_place(obj, scalar)
            if where and kubernetes_readers_disagree(scalar.text):
                told = ", ".join(f"{name}: {meaning}"
                                 for name, meaning in meanings(scalar.text).items())
                yield subject.finding(
                    _RULE, obj, f"{where} is written unquoted as {scalar.text or '(empty)'}, "
                    f"which readers disagree on ({told}); quote it", scalar.at)


def _string_place(obj: LintObject, scalar: PlainScalar) -> str:
    """What Kubernetes wants a string for at `scalar`, named for the message; "" if none."""
    at = scalar.at
    if scalar.is_key:
        return f"the key {scalar.text!r}"
    if len(at) >= 3 and at[-3] == "metadata" and at[-2] in ("labels", "annotations"):
        return f"{'label' if at[-2] == 'labels' else 'annotation'} {at[-1]!r}"
    if len(at) == 2 and at[:1] in _STRING_MAPS and obj.ref.kind in ("ConfigMap", "Secret"):
        return f"{obj.ref.kind} key {at[1]!r}"
    if at[-3:-2] == ("env",) and isinstance(at[-2], int) and at[-1] == "value":
        return "an env value"  # env[i].value
    if at[-2:-1] in _STRING_LISTS and isinstance(at[-1], int):
        return f"an item of {at[-2]}"
    return ""
