"""Wave states and promotions as text for a terminal, and as Markdown for CI."""

from __future__ import annotations

from mcgen.rollout.promote import Promotion
from mcgen.rollout.waves import WaveState, wave_branch


def states_text(states: list[WaveState], branch: str) -> str:
    lines = []
    for state in states:
        runs = f"{state.sha[:12]} {state.summary}" if state.sha else "nothing yet (no ref)"
        since = f", since {state.since.isoformat(timespec='minutes')}" if state.since else ""
        source = "wave before it" if state is not states[0] else branch
        waiting = (f"; {state.waiting} commit(s) on {source} waiting"
                   if state.waiting else "; up to date")
        lines.append(f"wave {state.wave} ({wave_branch(state.wave)}: "
                     f"{', '.join(state.clusters)}): {runs}{since}{waiting}")
    return "\n".join(lines) + "\n"


def promotion_text(done: Promotion) -> str:
    where = " (pushed)" if done.pushed else " (local; --push to move it on the remote)"
    if done.old == done.new:
        return f"wave {done.wave} already runs {done.new[:12]}; nothing to promote\n"
    verb = "rolled back" if done.rollback else "promoted"
    lines = [f"wave {done.wave} {verb} to {done.new[:12]}{where}: "
             f"{', '.join(done.clusters)}"]
    lines += [f"  {rev.sha[:12]} {rev.summary}" for rev in done.carried]
    return "\n".join(lines) + "\n"
