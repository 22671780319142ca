"""Reporters turn a LintResult into text; one module per format, chosen by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from mcgen.lint.engine import LintResult

Reporter = Callable[[LintResult], str]

# format -> module with `render(result) -> str`; imported only when used.
FORMATS: dict[str, str] = {
    "text": "mcgen.lint.report.text",
}


def reporter(name: str) -> Reporter:
    module = importlib.import_module(FORMATS[name])
    render: Reporter = module.render
    return render
