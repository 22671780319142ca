"""The depth look before a text reaches ruamel (`source._too_deep`): the line where
flow brackets or indentation pass MAX_DEPTH, quoted text skipped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mcgen.yaml.source import MAX_DEPTH, _too_deep


def char_by_char(text: str) -> int:
    """The plain reading of the rule, one character at a time: the reference."""
    depth, quote, line, previous = 0, "", 1, "\n"
    for char in text:
        if char == "\n":
            line += 1
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth -= 1
        previous = char
    for number, row in enumerate(text.splitlines(), 1):
        if len(row) - len(row.lstrip(" ")) > 2 * MAX_DEPTH:
            return number
    return 0


PIECES = st.sampled_from(["[", "{", "]", "}", "'", '"', "\n", " ", "a", ":", ",", "\t",
                          "it's", "[" * 60, "\n" + " " * 401 + "x"])


@given(st.lists(PIECES, max_size=200).map("".join))
def test_it_reads_as_the_rule_says(text: str) -> None:
    assert _too_deep(text) == char_by_char(text)


def test_deep_flow_is_found_at_its_line_and_quoted_brackets_are_not() -> None:
    assert _too_deep("a: 1\nb: " + "[" * (MAX_DEPTH + 1) + "\n") == 2
    assert _too_deep("a: '" + "[" * (MAX_DEPTH + 1) + "'\n") == 0
    assert _too_deep("it's" + "[" * MAX_DEPTH + "\n") == 0
    assert _too_deep("x\n" + " " * (2 * MAX_DEPTH + 1) + "y\n") == 2
