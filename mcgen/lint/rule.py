"""What a rule is: a module with an ID, a severity, a docstring and a `check()`.

Rule modules stay modules; mypy checks each one against `Rule` where the registry lists
it, so a module that forgets `check` or spells `SEVERITY` with the wrong type fails
`mypy` at `registry.py`, not at run time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mcgen.findings import Finding, Severity
    from mcgen.lint.subject import Subject


class Named(Protocol):
    """What a finding needs of its rule: the ID and default severity (the engine's own
    `suppression` findings have these without being a listed rule)."""

    @property
    def ID(self) -> str:
        """Kebab-case, stable, also used in suppressions and severity settings."""

    @property
    def SEVERITY(self) -> Severity:
        """The default severity; a fleet may change it in `spec.lint.rules`."""


class Rule(Named, Protocol):
    """A lint rule. Its docstring is its documentation (`mcgen rules --explain ID`)."""

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        """The rule's documentation; the registry refuses a rule without one."""

    @property
    def __name__(self) -> str:
        """The module's name, for the registry's messages."""

    def check(self, subject: Subject) -> Iterator[Finding]:
        """Every finding of this rule on `subject`."""
