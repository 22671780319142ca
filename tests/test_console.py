"""Colour on a terminal only; NO_COLOR and CI keep output plain."""

from __future__ import annotations

import io

import pytest

from mcgen.console import colour_enabled, emit

LINE = "a.yaml:1:1: error: bad [rule]\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "CI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def test_a_terminal_gets_colour() -> None:
    out = Terminal()
    emit(LINE, out)
    assert "\x1b[" in out.getvalue() and "error" in out.getvalue()


def test_a_pipe_stays_plain() -> None:
    out = io.StringIO()
    emit(LINE, out)
    assert out.getvalue() == LINE


@pytest.mark.parametrize("name, value", [("NO_COLOR", "1"), ("NO_COLOR", ""), ("CI", "true")])
def test_no_color_and_ci_stay_plain_even_on_a_terminal(
        name: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, value)
    assert not colour_enabled(Terminal())


def test_no_color_wins_over_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not colour_enabled(Terminal())
