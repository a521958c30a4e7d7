"""Rotation as a pure function of the playlist and the clock.

`what_to_show(entries, now, tz, office_hours)` says which slide a zone shows at `now`
and until when. Every screen of a zone, the server after a restart, and a screen that
lost its connection all compute the same answer from the same inputs, so they agree
without talking; the scheduler only has to wake at `until`.

Schedules: each entry may be limited to a date range, ISO weekdays (1 = Monday … 7 =
Sunday) and daily time windows, and has a priority. A day is cut into *segments* at
midnight and at every window edge (of entries and of office hours); within a segment the
set of active entries does not change. Strict priority: only the active entries of the
highest priority rotate. The cycle restarts at the start of each segment, so content
switched on at 09:00 starts from its first slide at 09:00 sharp.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from signage.clock import next_office_midnight, office_day_start

Window = tuple[time, time]  # [start, end) local time, start < end


@dataclass(frozen=True)
class Schedule:
    """When a playlist entry may be shown. Empty fields mean "no limit"."""

    starts_on: date | None = None
    ends_on: date | None = None  # inclusive
    weekdays: frozenset[int] | None = None  # ISO: 1 = Monday … 7 = Sunday
    windows: tuple[Window, ...] | None = None
    priority: int = 0

    def on_day(self, day: date) -> bool:
        if self.starts_on and day < self.starts_on:
            return False
        if self.ends_on and day > self.ends_on:
            return False
        return self.weekdays is None or day.isoweekday() in self.weekdays

    def at_time(self, t: time) -> bool:
        return self.windows is None or any(a <= t < b for a, b in self.windows)


ALWAYS = Schedule()


@dataclass(frozen=True)
class Entry:
    """One slide of a playlist, in order."""

    slide_id: int
    duration: int  # seconds, >= 1
    schedule: Schedule = ALWAYS


@dataclass(frozen=True)
class OfficeHours:
    """Opening windows per ISO weekday; a weekday that is missing is closed all day."""

    by_weekday: Mapping[int, tuple[Window, ...]] = field(default_factory=dict)

    def open_at(self, moment: datetime) -> bool:
        return any(a <= moment.time() < b for a, b in self.by_weekday.get(moment.isoweekday(), ()))


@dataclass(frozen=True)
class Showing:
    """What is on the glass: a slide, or nothing scheduled (`slide_id` None), or closed."""

    index: int
    slide_id: int | None
    started: datetime
    until: datetime
    active: tuple[int, ...] = ()  # the slides rotating in this segment, in order
    closed: bool = False
    # What comes at `until` (with_next): screens change to it at that instant by their
    # own clock synced to the server's, so every screen of a zone changes together.
    next: Showing | None = None


def _segment(entries: Sequence[Entry], local: datetime, tz: ZoneInfo,
             office_hours: OfficeHours | None) -> tuple[datetime, datetime]:
    """[start, end) of the segment containing `local` (an aware local datetime)."""
    day = local.date()
    edges = {time(0, 0)}
    for e in entries:
        if e.schedule.windows and e.schedule.on_day(day):
            for a, b in e.schedule.windows:
                edges.update((a, b))
    if office_hours is not None:
        for a, b in office_hours.by_weekday.get(day.isoweekday(), ()):
            edges.update((a, b))
    day_start = office_day_start(local, tz)
    midnight = next_office_midnight(local, tz)
    moments = sorted(datetime.combine(day, t, tzinfo=tz) for t in edges)
    start = max(m for m in moments if m <= local)
    end = min([m for m in moments if m > local] + [midnight])
    return max(start, day_start), end


def what_to_show(entries: Sequence[Entry], now: datetime, tz: ZoneInfo,
                 office_hours: OfficeHours | None = None) -> Showing | None:
    """The slide on the glass at `now` and the moment to look again (None: empty playlist)."""
    if now.tzinfo is None:
        raise ValueError("what_to_show needs an aware datetime")
    if not entries and office_hours is None:
        return None
    local = now.astimezone(tz)
    seg_start, seg_end = _segment(entries, local, tz, office_hours)
    if office_hours is not None and not office_hours.open_at(local):
        return Showing(-1, None, seg_start, seg_end, closed=True)
    day = local.date()
    active = [(i, e) for i, e in enumerate(entries)
              if e.schedule.on_day(day) and e.schedule.at_time(local.time())]
    if active:
        top = max(e.schedule.priority for _, e in active)
        active = [(i, e) for i, e in active if e.schedule.priority == top]
    if not active:
        return Showing(-1, None, seg_start, seg_end)

    second = 1_000_000  # exact integer microseconds: no float drift over a day
    cycle = sum(max(1, e.duration) for _, e in active) * second
    elapsed = (now - seg_start) // timedelta(microseconds=1)
    pos = elapsed % cycle
    cycle_start = now - timedelta(microseconds=pos)
    offset = 0
    ids = tuple(e.slide_id for _, e in active)
    for index, entry in active:
        length = max(1, entry.duration) * second
        if pos < offset + length:
            started = cycle_start + timedelta(microseconds=offset)
            until = min(started + timedelta(microseconds=length), seg_end)
            return Showing(index, entry.slide_id, max(started, seg_start), until, ids)
        offset += length
    raise AssertionError("unreachable: pos < cycle")


def with_next(showing: Showing | None, entries: Sequence[Entry], tz: ZoneInfo,
              office_hours: OfficeHours | None = None) -> Showing | None:
    """`showing` with what the zone shows from its `until` on (the rotation is a pure
    function of the clock, so the next slide is known in advance)."""
    if showing is None:
        return None
    return replace(showing, next=what_to_show(entries, showing.until, tz, office_hours))
