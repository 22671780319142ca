"""Charts whose output changes from run to run, found and refused with a way out.

mcgen's output must be the same bytes for the same inputs. Some charts call functions
whose result is new on every render: podinfo's test Pods are named with `randAlphaNum`,
bitnami nginx generates a CA and a certificate for its TLS Secret (`genCA`), metrics-server
does with `tls.type: helm` (`genSelfSignedCert`). A chart whose templates (its
subcharts' included) call any of `RANDOM_FUNCTIONS` is rendered a second time, and every
template whose two outputs differ is reported, with a value that turns it off when one
is found: each `.Values.x.y` the template tests in an `if`/`with` is tried as `false`,
and the first whose renders agree is named. Charts that call none render once.

Time functions (`now`, `date`) are among them, though two renders a moment apart
usually agree: a chart that prints today's date is caught only on a day it changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from mcgen.helm.native import HelmFailure

RANDOM_FUNCTIONS = (
    "randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes", "randInt",
    "uuidv4", "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert",
    "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "bcrypt",
    "htpasswd", "encryptAES", "shuffle", "now",
)
_CALLS = re.compile(r"\b(" + "|".join(RANDOM_FUNCTIONS) + r")\b")
_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
_GUARD = re.compile(r"\{\{-?\s*(?:if|with|else if)\b(.*?)-?\}\}", re.S)
_VALUE = re.compile(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
MAX_TRIES = 8

Render = Callable[[Mapping[str, object]], dict[str, str]]


@lru_cache(maxsize=256)
def random_calls(sources: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The run-dependent functions the templates call (inside `{{ }}` only)."""
    found: set[str] = set()
    for _, text in sources:
        for action in _ACTION.finditer(text):
            found.update(_CALLS.findall(action.group(1)))
    return tuple(sorted(found))


def differing(first: Mapping[str, str], second: Mapping[str, str]) -> list[str]:
    """Templates whose two renders differ, by name."""
    return sorted(name for name in set(first) | set(second)
                  if first.get(name) != second.get(name))


def guards(source: str) -> list[str]:
    """The value paths a template tests, in order of appearance ("tls.enabled")."""
    seen: dict[str, None] = {}
    for guard in _GUARD.finditer(source):
        for path in _VALUE.findall(guard.group(1)):
            seen.setdefault(path.lstrip("."), None)
    return list(seen)


def with_value(values: Mapping[str, object], path: str, value: object) -> dict[str, object]:
    """A copy of `values` with `path` ("a.b.c") set to `value`."""
    top: dict[str, object] = dict(values)
    node = top
    parts = path.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        fresh = dict(child) if isinstance(child, Mapping) else {}
        node[part] = fresh
        node = fresh
    node[parts[-1]] = value
    return top


def turning_off(template: str, source: str, values: Mapping[str, object], render: Render,
                subchart: str = "") -> str | None:
    """The first value of the template's guards that makes its renders agree, as
    "path: false" (a subchart's under its name), or None."""
    for path in guards(source)[:MAX_TRIES]:
        full = f"{subchart}.{path}" if subchart else path
        try:
            changed = with_value(values, full, False)
            first, second = render(changed), render(changed)
        except HelmFailure:  # a value the chart does not accept as false is no way out
            continue
        if first.get(template) == second.get(template):
            return f"{full}: false"
    return None
