"""Limits and failures shared by every YAML reader: alias bombs, values a library cannot build."""

from __future__ import annotations

# Aliases make shared subtrees that writing the object would expand: a "billion laughs"
# document of a few hundred bytes expands to gigabytes. Real manifests stay far below.
MAX_EXPANDED_NODES = 1_000_000


def expanded_size(value: object, limit: int = MAX_EXPANDED_NODES) -> int:
    """How many nodes `value` has once aliases are expanded (stops counting past `limit`).

    A recursive alias (`a: &a [*a]`) expands forever: it counts as past the limit.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: object, depth: int) -> int:
        if not isinstance(node, dict | list) or depth > 500:
            return 1
        if id(node) in open_:
            return limit + 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        open_.add(id(node))
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > limit:
                break
        open_.discard(id(node))
        sizes[id(node)] = total
        return total

    return size(value, 0)


# What YAML libraries raise, besides their own errors, on values they cannot build:
# `!!bool maybe`, `!!float nope`, an impossible date, an integer of 5,000 digits, some
# merge keys. Found by tests/fuzz.
BUILD_ERRORS = (ValueError, KeyError, IndexError, AttributeError, AssertionError, TypeError)


def failing_mark(exc: BaseException) -> tuple[int, int] | None:
    """0-based (line, column) of the node being built when `exc` was raised.

    Both PyYAML's and ruamel's constructors hold it in a local named `node`.
    """
    found = None
    frames = exc.__traceback__
    while frames is not None:
        mark = getattr(frames.tb_frame.f_locals.get("node"), "start_mark", None)
        if mark is not None:
            found = (int(mark.line), int(mark.column))
        frames = frames.tb_next
    return found


def build_error_message(exc: BaseException) -> str:
    text = f"invalid YAML value: cannot build it ({type(exc).__name__}: {exc})"
    return text.replace(": )", ")")
