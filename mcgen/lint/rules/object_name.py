"""object-name: an object name or namespace the API server refuses.

Kubernetes validates `metadata.name` per kind, and `metadata.namespace` always, before
it stores anything: `kubectl apply` of `name: Shop` or `namespace: café` fails, and with
it the whole sync of that folder by Argo CD or Flux. The rule applies the API server's
own rules, so the mistake shows in the pull request instead:

- a namespace, and the name of a `Namespace`: an RFC 1123 label (lower-case letters,
  digits and `-`, starting and ending with a letter or digit, at most 63 characters);
- the name of a `Service`: an RFC 1035 label (the same, but starting with a letter),
  since it becomes a DNS name;
- Role, ClusterRole, RoleBinding and ClusterRoleBinding: a path segment (anything but
  `/` and `%`, not `.` or `..`), so `system:aggregate-to-view` is fine;
- every other kind, custom resources included: an RFC 1123 subdomain (labels joined by
  `.`, at most 253 characters).

The finding sits on the offending value.

Example finding:

    clusters/us-west/storefront/configmap-Shop.yaml:7:9: error: ConfigMap shop/Shop: name
    'Shop' is not valid for a ConfigMap: it must be an RFC 1123 subdomain (lower-case
    letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253
    characters) [object-name]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache

from mcgen.findings import Finding, Severity
from mcgen.lint.subject import LintObject, Subject

ID = "object-name"
SEVERITY = Severity.ERROR
_RULE = sys.modules[__name__]

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
RULES = {
    "label": (re.compile(rf"{_LABEL}\Z"), 63, "an RFC 1123 label (lower-case letters, digits "
              "and '-', starting and ending with a letter or digit, at most 63 characters)"),
    "dns1035": (re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z"), 63, "an RFC 1035 label "
                "(lower-case letters, digits and '-', starting with a letter and ending with "
                "a letter or digit, at most 63 characters)"),
    "subdomain": (re.compile(rf"{_LABEL}(\.{_LABEL})*\Z"), 253, "an RFC 1123 subdomain "
                  "(lower-case letters, digits, '-' and '.', starting and ending with a "
                  "letter or digit, at most 253 characters)"),
    "segment": (re.compile(r"(?!\.\.?\Z)[^/%]+\Z"), 253, "a path segment (no '/' or '%', "
                "not '.' or '..', at most 253 characters)"),
}
KIND_RULES = {"Namespace": "label", "Service": "dns1035", "Role": "segment",
              "ClusterRole": "segment", "RoleBinding": "segment",
              "ClusterRoleBinding": "segment"}


@lru_cache(maxsize=65536)
def problem(value: str, rule: str) -> str:
    """Why `value` breaks `rule` ("" when it does not); a fleet's replicas repeat their
    names and namespaces, so each is judged once."""
    pattern, longest, wanted = RULES[rule]
    if len(value) <= longest and pattern.match(value):
        return ""
    return f"it must be {wanted}"


def check(subject: Subject) -> Iterator[Finding]:
    for obj in subject.objects:
        yield from _name(subject, obj)
        namespace = obj.metadata.get("namespace")
        if isinstance(namespace, str) and namespace:
            why = problem(namespace, "label")
            if why:
                yield subject.finding(_RULE, obj, f"{obj.ref}: namespace {namespace!r} is not "
                                      f"valid: {why}", ("metadata", "namespace"))


def _name(subject: Subject, obj: LintObject) -> Iterator[Finding]:
    name = obj.metadata.get("name")
    if not isinstance(name, str) or not name:
        return  # no name at all is the schema rule's finding
    why = problem(name, KIND_RULES.get(obj.ref.kind, "subdomain"))
    if why:
        yield subject.finding(_RULE, obj, f"{obj.ref}: name {name!r} is not valid for a "
                              f"{obj.ref.kind}: {why}", ("metadata", "name"))
