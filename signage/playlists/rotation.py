"""Rotation as a pure function of the playlist and the clock.

`what_to_show(entries, now, tz)` says which slide a zone shows at `now` and until
when. Every screen of a zone, the server after a restart, and a screen that lost
its connection all compute the same answer from the same inputs, so they agree
without talking. The cycle is anchored at the office day's local midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from signage.clock import next_office_midnight, office_day_start


@dataclass(frozen=True)
class Entry:
    """One slide of a playlist, in order."""

    slide_id: int
    duration: int  # seconds, >= 1


@dataclass(frozen=True)
class Showing:
    index: int
    slide_id: int
    started: datetime
    until: datetime


def what_to_show(entries: Sequence[Entry], now: datetime, tz: ZoneInfo) -> Showing | None:
    """The slide on the glass at `now` and the moment it ends (None: nothing to show)."""
    if now.tzinfo is None:
        raise ValueError("what_to_show needs an aware datetime")
    if not entries:
        return None
    second = 1_000_000  # exact integer microseconds: no float drift over a day
    cycle = sum(max(1, e.duration) for e in entries) * second
    anchor = office_day_start(now, tz)
    elapsed = (now - anchor) // timedelta(microseconds=1)
    pos = elapsed % cycle
    cycle_start = now - timedelta(microseconds=pos)
    offset = 0
    for index, entry in enumerate(entries):
        length = max(1, entry.duration) * second
        if pos < offset + length:
            started = cycle_start + timedelta(microseconds=offset)
            until = min(started + timedelta(microseconds=length), next_office_midnight(now, tz))
            return Showing(index, entry.slide_id, started, until)
        offset += length
    raise AssertionError("unreachable: pos < cycle")
