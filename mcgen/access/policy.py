"""One RBAC rule and what it allows, as Kubernetes' RBAC authorizer decides it.

The matching follows the authorizer's own rules: `*` matches every verb, API group or
resource (subresources included); `pods` does not match `pods/exec`, but `*/exec` does;
a rule with `resourceNames` matches only requests for one of those names (so never a
`list` or a `create` without a name); a non-resource URL rule ending in `*` matches by
prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

ALL = "*"


class PolicyRule(NamedTuple):
    verbs: tuple[str, ...]
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    resource_names: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = ()

    def __str__(self) -> str:
        verbs = ",".join(self.verbs)
        if self.non_resource_urls:
            return f"{verbs} {','.join(self.non_resource_urls)}"
        groups = {g or "core" for g in self.api_groups}
        where = "" if groups == {"core"} else f" ({','.join(sorted(groups))})"
        names = f" named {','.join(self.resource_names)}" if self.resource_names else ""
        return f"{verbs} {','.join(self.resources)}{where}{names}"


class Request(NamedTuple):
    """What someone asks the API server: a verb on a resource (or a non-resource URL)."""

    verb: str
    resource: str = ""  # "pods", or "pods/exec" for a subresource
    group: str = ""
    name: str = ""
    url: str = ""  # set for a non-resource request such as /healthz


def rule_of(raw: Mapping[str, object]) -> PolicyRule:
    """A rule from its manifest form (`verbs`, `apiGroups`, `resources`...)."""
    return PolicyRule(_strings(raw.get("verbs")), _strings(raw.get("apiGroups")),
                      _strings(raw.get("resources")), _strings(raw.get("resourceNames")),
                      _strings(raw.get("nonResourceURLs")))


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def allows(rule: PolicyRule, request: Request) -> bool:
    """Whether `rule` allows `request`."""
    if not _has(rule.verbs, request.verb):
        return False
    if request.url:
        return any(_url_matches(pattern, request.url) for pattern in rule.non_resource_urls)
    return (_has(rule.api_groups, request.group)
            and any(_resource_matches(r, request.resource) for r in rule.resources)
            and (not rule.resource_names or request.name in rule.resource_names))


def _has(values: tuple[str, ...], wanted: str) -> bool:
    return ALL in values or wanted in values


def _resource_matches(pattern: str, resource: str) -> bool:
    if pattern in (ALL, resource):
        return True
    _, slash, subresource = resource.partition("/")
    return bool(slash) and pattern == f"*/{subresource}"


def _url_matches(pattern: str, url: str) -> bool:
    if pattern in (ALL, url):
        return True
    return pattern.endswith(ALL) and url.startswith(pattern.rstrip(ALL))


@lru_cache(maxsize=65536)  # a fleet repeats the same few rules on every cluster
def mentions(rule: PolicyRule, verb: str | None, resource: str | None) -> bool:
    """Whether `rule` grants `verb` (any verb if None) on `resource` (any if None),
    in whatever API group: what `mcgen access --verb/--resource` filter on."""
    if verb is not None and not _has(rule.verbs, verb):
        return False
    if resource is None:
        return True
    plain, _, group = resource.partition(".")
    groups_ok = not group or _has(rule.api_groups, group)
    return groups_ok and any(_resource_matches(r, plain) for r in rule.resources)


def selector_matches(selector: Mapping[str, object], labels: Mapping[str, str]) -> bool:
    """A label selector (`matchLabels`, `matchExpressions`) against `labels`; an empty
    selector matches everything, as in Kubernetes."""
    wanted = selector.get("matchLabels")
    if isinstance(wanted, Mapping) and any(labels.get(str(k)) != str(v)
                                           for k, v in wanted.items()):
        return False
    expressions = selector.get("matchExpressions")
    return all(_expression(e, labels) for e in expressions if isinstance(e, Mapping)) \
        if isinstance(expressions, list) else True


def _expression(expression: Mapping[str, object], labels: Mapping[str, str]) -> bool:
    key, operator = str(expression.get("key", "")), expression.get("operator")
    values = set(_strings(expression.get("values")))
    if operator == "In":
        return key in labels and labels[key] in values
    if operator == "NotIn":
        return key not in labels or labels[key] not in values
    if operator == "Exists":
        return key in labels
    return operator == "DoesNotExist" and key not in labels
