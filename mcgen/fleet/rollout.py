"""`spec.rollout` (FLEET-SPEC §10): freeze windows, soak time, replicas across waves.

Times without an offset are read in the fleet's time zone (`spec.rollout.timeZone`, an
IANA name; default UTC). A window covers `from` up to, not including, `to`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcgen.location import Problem

if TYPE_CHECKING:
    from mcgen.fleet.model import Fleet

Raw = Mapping[str, object]
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


@dataclass(frozen=True)
class FreezeWindow:
    index: int
    start_text: str
    end_text: str
    clusters: tuple[str, ...]
    zones: tuple[str, ...]
    waves: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class Rollout:
    time_zone: str = "UTC"
    freeze: tuple[FreezeWindow, ...] = ()
    soak_text: str | None = None
    replicas_in_distinct_waves: bool = False

    @property
    def zone(self) -> datetime.tzinfo:
        """The fleet's time zone (UTC when the name is unknown: the checks report that)."""
        import zoneinfo  # ~10 ms (sysconfig): only a fleet with a freeze window asks

        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return datetime.UTC

    @property
    def soak(self) -> datetime.timedelta | None:
        return None if self.soak_text is None else parse_duration(self.soak_text)

    def window_times(self, window: FreezeWindow
                     ) -> tuple[datetime.datetime, datetime.datetime] | None:
        start, end = (parse_time(t, self.zone) for t in (window.start_text, window.end_text))
        return None if start is None or end is None else (start, end)


def parse_duration(text: str) -> datetime.timedelta | None:
    """`24h`, `2d`, `1d12h`, `90m`; None when it is none of these."""
    found = _DURATION.match(text.strip())
    if not found or not any(found.groups()):
        return None
    days, hours, minutes = (int(g or 0) for g in found.groups())
    return datetime.timedelta(days=days, hours=hours, minutes=minutes)


def format_span(delta: datetime.timedelta) -> str:
    """`5h07m`, `24h00m`: how long, to the minute."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def parse_time(text: str, zone: datetime.tzinfo) -> datetime.datetime | None:
    """An ISO 8601 date or time; one without an offset is in `zone`."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def load_rollout(raw: Raw) -> Rollout:
    freeze = raw.get("freeze")
    soak = raw.get("soak")
    return Rollout(
        time_zone=str(raw.get("timeZone", "UTC")),
        freeze=tuple(_window(i, w) for i, w in enumerate(freeze if isinstance(freeze, list)
                                                          else []) if isinstance(w, Mapping)),
        soak_text=None if soak is None else str(soak),
        replicas_in_distinct_waves=raw.get("replicaWaves") == "distinct",
    )


def _window(index: int, raw: Raw) -> FreezeWindow:
    def names(key: str) -> tuple[str, ...]:
        value = raw.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    return FreezeWindow(index, str(raw.get("from", "")), str(raw.get("to", "")),
                        names("clusters"), names("zones"),
                        tuple(int(w) for w in names("waves")), str(raw.get("reason", "")))


def rollout_problems(fleet: Fleet) -> Iterator[Problem]:
    """Unknown time zone, bad soak, windows that do not parse or end before they start,
    and names in windows the fleet does not have."""
    rollout = fleet.rollout
    where = ("spec", "rollout")
    if rollout.zone is datetime.UTC and rollout.time_zone not in ("UTC", "Etc/UTC"):
        yield Problem(fleet.where(*where, "timeZone"),
                      f"unknown time zone {rollout.time_zone!r}; use an IANA name such as "
                      "'Europe/Berlin' or 'UTC'")
    if rollout.soak_text is not None and rollout.soak is None:
        yield Problem(fleet.where(*where, "soak"),
                      f"soak {rollout.soak_text!r} is not a duration; write e.g. 24h, 2d, 90m")
    for window in rollout.freeze:
        yield from _window_problems(fleet, window)
    if fleet.output.flux.wave_refs and fleet.output.engine != "flux":
        yield Problem(fleet.where(*where, "flux", "waveRefs"),
                      f"waveRefs stages Flux; this fleet's engine is {fleet.output.engine!r}")


def _window_problems(fleet: Fleet, window: FreezeWindow) -> Iterator[Problem]:
    at = ("spec", "rollout", "freeze", window.index)
    for key, text in (("from", window.start_text), ("to", window.end_text)):
        if parse_time(text, fleet.rollout.zone) is None:
            yield Problem(fleet.where(*at, key), f"{key} {text!r} is not an ISO 8601 time; "
                          "write e.g. '2026-12-20T18:00' (in the fleet's timeZone)")
    times = fleet.rollout.window_times(window)
    if times is not None and times[0] >= times[1]:
        yield Problem(fleet.where(*at, "to"), "the window ends before it starts")
    known = {"clusters": set(fleet.clusters), "zones": {c.zone for c in fleet.clusters.values()},
             "waves": {str(c.wave) for c in fleet.clusters.values()}}
    for key, values in (("clusters", window.clusters), ("zones", window.zones),
                        ("waves", tuple(str(w) for w in window.waves))):
        for value in values:
            if value not in known[key]:
                yield Problem(fleet.where(*at, key),
                              f"freeze window names {key[:-1]} {value!r}, which the fleet "
                              "does not have")


def frozen_clusters(fleet: Fleet, window: FreezeWindow) -> tuple[str, ...]:
    """The clusters a window freezes, in fleet order."""
    return tuple(name for name, c in fleet.clusters.items()
                 if name in window.clusters or c.zone in window.zones
                 or c.wave in window.waves)
