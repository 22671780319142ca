"""How the rules of one lint run are spread over the machine's cores.

Each rule runs whole, in one process, over the whole subject: its findings are exactly
the ones a single process makes. They come back in rule order and suppressions are
applied to all of them in the main process, so the report never depends on the spread,
only the time does (`MCGEN_JOBS=1` keeps one process; `mcgen.parallel` has the rest).

Rules are dealt heaviest first to the least loaded process, by a rough cost measured on
the benchmark fleet (`bench/lint.py`); a rule not listed costs 1. Rules that share work
through the subject's memo (the access model) go to one process, since each process
builds what its rules use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mcgen.findings import Finding
from mcgen.lint.subject import Subject
from mcgen.parallel import jobs, map_parts

MIN_OBJECTS = 2_000  # below this a fork costs more than the rules it would spread

# Tenths of a second on 1,000 clusters x 20 components (one core, a busy machine).
COST = {"output-drift": 13, "schema": 7, "replica-drift": 6, "rollout-order": 4,
        "object-name": 2, "privileged-container": 2, "access": 3}
TOGETHER = {"access-drift": "access", "access-escalation": "access",
            "access-residency": "access", "access-role-missing": "access"}

Check = Callable[[Subject, str], list[Finding]]


def spread(rules: Sequence[str], processes: int) -> list[list[str]]:
    """`rules` in at most `processes` parts of about equal cost, each part in rule order."""
    families: dict[str, list[str]] = {}
    for rule in rules:
        families.setdefault(TOGETHER.get(rule, rule), []).append(rule)
    load = [0] * max(1, processes)
    parts: list[list[str]] = [[] for _ in load]
    for family in sorted(families, key=lambda name: -COST.get(name, 1)):  # stable: ties keep order
        least = load.index(min(load))
        load[least] += COST.get(family, 1)
        parts[least].extend(families[family])
    order = {rule: number for number, rule in enumerate(rules)}
    return [sorted(part, key=order.__getitem__) for part in parts if part]


def run_spread(subject: Subject, rules: Sequence[str], check: Check) -> list[Finding]:
    """Every finding of `rules` (`check` runs one), in rule order, over the cores."""
    processes = jobs() if len(subject.objects) >= MIN_OBJECTS else 1
    parts = spread(rules, processes)

    def work(part: Sequence[str]) -> list[list[Finding]]:
        return [check(subject, rule) for rule in part]

    by_rule = dict(zip([rule for part in parts for rule in part], map_parts(work, parts),
                       strict=True))
    return [finding for rule in rules for finding in by_rule[rule]]
