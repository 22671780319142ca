"""Reporters turn a LintResult into text; one module per format, chosen by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reporters need no lint engine loaded (mcgen access uses them)
    from mcgen.lint.engine import LintResult


Reporter = Callable[["LintResult"], str]

# format -> module with `render(result) -> str`; imported only when used.
FORMATS: dict[str, str] = {
    "text": "mcgen.lint.report.text",
    "json": "mcgen.lint.report.json",
    "sarif": "mcgen.lint.report.sarif",
    "junit": "mcgen.lint.report.junit",
    "github": "mcgen.lint.report.github",
    "markdown": "mcgen.lint.report.markdown",
}


def reporter(name: str) -> Reporter:
    module = importlib.import_module(FORMATS[name])
    render: Reporter = module.render
    return render
