"""Wave states and promotions as text for a terminal, and as Markdown for CI."""

from __future__ import annotations

from mcgen.rollout.plan import FleetPlan, WaveLine
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
        if state.soaked_at:
            waiting += f" (soaked at {state.soaked_at.isoformat(timespec='minutes')})"
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


def plan_markdown(plans: list[FleetPlan]) -> str:
    """The rollout section of the pull-request summary."""
    parts = ["### Rollout plan", ""]
    for plan in plans:
        parts += [f"**{plan.fleet}**: {plan.how}.", ""]
        staged = any(line.runs is not None for line in plan.waves) or not plan.refs_found
        if not plan.refs_found:
            parts += ["_The wave refs are not in this clone: fetch them with "
                      "`git fetch origin '+refs/heads/mcgen/*:refs/remotes/origin/mcgen/*'`._",
                      ""]
        header = "| wave | clusters | this change | when |"
        parts += [header + (" runs now | `mcgen promote` carries next |" if staged else ""),
                  "|---|---|---|---|" + ("---|---|" if staged else "")]
        parts += [_row(line, staged) for line in plan.waves]
        parts.append("")
    return "\n".join(parts)


def _row(line: WaveLine, staged: bool) -> str:
    change = ", ".join(line.touched) if line.touched else "-"
    when = "on merge" if line.at_merge else ("when promoted" if line.touched else "-")
    cells = [str(line.wave), ", ".join(line.clusters), change, when]
    if staged:
        runs = f"`{line.runs.sha[:12]}` {line.runs.summary}" if line.runs else "nothing yet"
        carried = (f"{len(line.next)} commit(s): " + ", ".join(
            f"`{rev.sha[:12]}` {rev.summary}" for rev in line.next[:3])
            + (", ..." if len(line.next) > 3 else "")) if line.next else "nothing"
        cells += [runs, carried]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
