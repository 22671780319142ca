"""Hypothesis strategies for human-edited YAML: every style, and the plain scalars that
YAML 1.1 and 1.2 (libyaml and ruamel) read differently."""

from __future__ import annotations

from hypothesis import strategies as st

TRICKY_PLAIN = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "0o7", "07", "017", "0x1F", "0X1F",
    "0b101", "0b_", "0o_", "1_000", "1__0", "1_", "_1", "_", "1e3", "1E3", "1e+3", "1.e5",
    ".5", ".1_0", "1_0.5", "-.inf", "+.inf", ".Inf", ".NaN", "+.nan", ".", "-0", "+12", "00",
    "-0.0", "1e400", "9" * 30, "9" * 5000, "~", "null", "Null", "NULL", "nULL", "true", "True",
    "TRUE", "tRue", "false", "FALSE", "2026-12-01", "2026-02-30", "0000-01-01", "2026-1-1",
    "2026-12-01T10:00:00Z", "2026-12-01 10:00:00", "2026-1-1T1:00:00", "1:20", "=", "<<",
    "1.31", "v1", "eu-west-1", "x", "name", "a b", "héllo", "日本", "emoji 🙂", "a#b", "a:b",
    "-a", "?a", "a'b", 'a"b', "http://x/y?a=1&b=2", "it's", "a!", "*.example.com",
]
WORDS = ["a", "b", "name", "values", "x", "1.31", "true", "null", "", "a b", "é", "k8s"]
DOUBLE = ["\\n", "\\t", "\\\\", '\\"', "\\u00e9", "\\x41", "\\/", "\\ ", "\\e", "\\N",
          "\\_", "\\L", "\\P", "\\U0001F642", "'", "#", ": ", "- ", "&a", "*a", "!t", "é",
          "\u2028", "\t"]
SINGLE = ["''", '"', "\\", "#", ": ", "é", "&", "!"]
BLOCK_LINES = ["text", "  indented", "", "# not a comment", "a: b", "- c", "ünï", "tab\there"]

KEYS = st.sampled_from(["name", "spec", "a", "b", "values", "x y", "é", "1", "true",
                        "null", "~", "<<", "2026-12-01", "0o7", "yes"])


@st.composite
def quoted(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        parts = draw(st.lists(st.sampled_from(SINGLE) | st.sampled_from(WORDS), max_size=4))
        return "'" + "".join(parts).replace("'", "''") + "'"
    parts = draw(st.lists(st.sampled_from(DOUBLE) | st.sampled_from(WORDS), max_size=4))
    return '"' + "".join(parts) + '"'


def plain() -> st.SearchStrategy[str]:
    return st.sampled_from(TRICKY_PLAIN) | st.sampled_from(WORDS[:-1])


@st.composite
def block_scalar(draw: st.DrawFn, indent: int) -> str:
    """`|` or `>` with a chomping indicator, then its lines (ends without a newline)."""
    head = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1"]))
    lines = draw(st.lists(st.sampled_from(BLOCK_LINES), min_size=1, max_size=4))
    pad = " " * (indent + 2)
    body = "\n".join(pad + line if line else "" for line in lines)
    comment = draw(st.sampled_from(["", " # c"]))
    return head + comment + "\n" + body


def flow_scalar() -> st.SearchStrategy[str]:
    safe = [p for p in TRICKY_PLAIN if not any(c in p for c in ",[]{}#") and ": " not in p
            and not p.startswith(("-", "?"))]
    return st.sampled_from(safe) | quoted()


def flow(depth: int) -> st.SearchStrategy[str]:
    if depth <= 0:
        return flow_scalar()
    inner = flow(depth - 1)
    items = st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
    pairs = st.lists(st.tuples(KEYS | quoted(), inner), max_size=3).map(
        lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")
    return flow_scalar() | items | pairs


@st.composite
def multi_line(draw: st.DrawFn, indent: int) -> str:
    """A plain or quoted scalar folded over several lines, blank lines included."""
    quote = draw(st.sampled_from(["", "'", '"']))
    words = draw(st.lists(st.sampled_from([*WORDS[:-1], "1", "~", "yes"]), min_size=2,
                          max_size=4))
    pad = " " * (indent + draw(st.sampled_from([1, 2, 5])))
    breaks = [draw(st.sampled_from(["\n", "\n\n", " \n"])) + pad for _ in words[1:]]
    return quote + words[0] + "".join(b + w for b, w in zip(breaks, words[1:], strict=True)) + quote


@st.composite
def block(draw: st.DrawFn, indent: int, depth: int) -> str:
    """A block mapping or sequence at `indent`, as full lines ending in a newline."""
    pad = " " * indent
    lines = []
    is_map = draw(st.booleans())
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(pad + "# a comment\n" if draw(st.booleans()) else "\n")
        lead = pad + (draw(KEYS | quoted()) + ":" if is_map else "-")
        choice = draw(st.integers(0, 4 if depth > 0 else 2))
        tail = draw(st.sampled_from(["", "", " # c", "  "]))
        if choice == 0:
            lines.append(f"{lead} {draw(plain())}{tail}\n")
        elif choice == 1:
            lines.append(f"{lead} {draw(quoted() | flow(depth))}{tail}\n")
        elif choice == 2:
            lines.append(f"{lead} {draw(block_scalar(indent))}\n")
        elif choice == 3 and draw(st.booleans()):
            lines.append(f"{lead} {draw(multi_line(indent))}\n")
        elif choice == 3:
            lines.append(f"{lead}\n" + draw(block(indent + draw(st.sampled_from([1, 2, 4])),
                                                  depth - 1)))
        else:
            lines.append(f"{lead}{tail}\n" if draw(st.booleans()) else f"{lead} ~\n")
    return "".join(lines)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """One to three documents, each a block collection, a flow collection or a scalar."""
    parts = []
    for index in range(draw(st.integers(1, 3))):
        start = draw(st.sampled_from(["", "---\n", "--- # doc\n"])) if index == 0 else "---\n"
        body = draw(block(0, 3) | flow(3).map(lambda text: text + "\n")
                    | plain().map(lambda text: text + "\n"))
        end = draw(st.sampled_from(["", "", "...\n", "# trailing\n"]))
        parts.append(start + body + end)
    text = draw(st.sampled_from(["", "\ufeff", "# head\n"])) + "".join(parts)
    return text.replace("\n", draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])))
