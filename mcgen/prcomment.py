"""The pull-request comment: what matters first, and never over GitHub's size limit.

A comment on GitHub holds at most 65,536 characters; a change that touches hundreds of
clusters renders far more. The comment is built from sections in the order a reviewer
needs them (verdict, compliance findings, access changes, other findings, rollout plan,
rendered change). When they do not fit, the sections that fit are kept whole, the next
one is cut at a line (closing any code block or `<details>` it had opened), the rest are
left out, and a last line says so and names the file with the full report. The cut
depends only on the text, so the same change always gives the same comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple

GITHUB_LIMIT = 65_536
NOTE_ROOM = 600  # the truncation note, with the names of the sections left out


class Section(NamedTuple):
    title: str  # named in the truncation note when the section is cut or left out
    text: str


def comment(sections: Sequence[Section], limit: int = GITHUB_LIMIT, full: str = "") -> str:
    """The sections joined, or as much of them as fits in `limit` characters with a note
    pointing at `full` (the file holding everything)."""
    whole = "\n".join(section.text for section in sections)
    if len(whole) <= limit:
        return whole
    budget = limit - NOTE_ROOM
    ends = list(accumulate(len(section.text) + 1 for section in sections))
    # The last end is len(whole) + 1 > limit > budget, so some section does not fit.
    index = next(i for i, end in enumerate(ends) if end > budget)
    kept = [section.text for section in sections[:index]]
    kept.append(_cut(sections[index].text, budget - (ends[index - 1] if index else 0)))
    left = [section.title for section in sections[index:]]
    return "\n".join([*kept, _note(left, len(whole), full)])


def _cut(text: str, room: int) -> str:
    """`text` up to the last line that fits in `room`, with open blocks closed."""
    lines: list[str] = []
    used = 0
    fence = False
    details = 0
    for line in text.split("\n"):
        closing = len("\n```") * fence + len("\n</details>") * details
        if used + len(line) + 1 + closing > room:
            break
        lines.append(line)
        used += len(line) + 1
        if line.startswith("```"):
            fence = not fence
        elif line.startswith("<details>"):
            details += 1
        elif line.startswith("</details>"):
            details -= 1
    lines += ["```"] * fence + ["</details>"] * details
    return "\n".join(lines)


def _note(left: list[str], size: int, full: str) -> str:
    where = f" The full report is `{full}`" if full else " Run `mcgen ci` for the full report"
    return (f"\n> **Truncated** to fit a pull-request comment ({size:,} characters in all): "
            f"cut from *{left[0]}* on"
            + (f" (also left out: {', '.join(left[1:])})" if left[1:] else "")
            + f".{where}, uploaded with the CI job's artifacts.\n")
