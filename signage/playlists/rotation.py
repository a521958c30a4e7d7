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
        return self.open_on(moment.date(), moment.time())

    def open_on(self, day: date, t: time) -> bool:
        return any(a <= t < b for a, b in self.by_weekday.get(day.isoweekday(), ()))


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


def _edges(entries: Sequence[Entry], day: date, office_hours: OfficeHours | None) -> set[time]:
    """The times of `day` where what is scheduled may change: midnight and every window
    edge (of the entries on that day and of the office hours)."""
    edges = {time(0, 0)}
    for e in entries:
        if e.schedule.windows and e.schedule.on_day(day):
            for a, b in e.schedule.windows:
                edges.update((a, b))
    if office_hours is not None:
        for a, b in office_hours.by_weekday.get(day.isoweekday(), ()):
            edges.update((a, b))
    return edges


def _segment(entries: Sequence[Entry], local: datetime, tz: ZoneInfo,
             office_hours: OfficeHours | None) -> tuple[datetime, datetime]:
    """[start, end) of the segment containing `local` (an aware local datetime)."""
    day = local.date()
    edges = _edges(entries, day, office_hours)
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
    active = [(i, entries[i]) for i in shown_at(entries, local.date(), local.time())]
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


def shown_at(entries: Sequence[Entry], day: date, t: time) -> list[int]:
    """The rule: the entries (their indices) that rotate at local `day` and `t` — those
    scheduled then, and of them only the ones of the highest priority."""
    active = [(i, e) for i, e in enumerate(entries)
              if e.schedule.on_day(day) and e.schedule.at_time(t)]
    if not active:
        return []
    top = max(e.schedule.priority for _, e in active)
    return [i for i, e in active if e.schedule.priority == top]


def hidden_by(entries: Sequence[Entry], index: int, today: date,
              office_hours: OfficeHours | None = None) -> list[int]:
    """The entries (indices) that entry `index` keeps off the screens from `today` on: at
    some moment the office is open they rotate without it (`shown_at` on the others) and
    do not with it (`shown_at` on all). The playlist editor warns with these before a
    raised priority quietly empties a window of everything else."""
    me = entries[index].schedule
    others = [i for i in range(len(entries)) if i != index]
    start = max(today, me.starts_on or today)
    end = me.ends_on
    if end is not None and end < start:
        return []
    # Between two days where some entry's date range begins or ends, whether an entry is
    # on a day depends on its weekday only: a week after each such day covers it all.
    turns = {start}
    for e in entries:
        for d in (e.schedule.starts_on, e.schedule.ends_on and e.schedule.ends_on + timedelta(1)):
            if d is not None and start < d and (end is None or d <= end):
                turns.add(d)
    days = sorted({t + timedelta(k) for t in turns for k in range(7)
                   if end is None or t + timedelta(k) <= end})
    hidden: set[int] = set()
    for day in days:
        if not me.on_day(day):
            continue
        # What is scheduled stays the same from one edge to the next.
        for t in _edges(entries, day, office_hours):
            if not me.at_time(t) or (office_hours is not None
                                     and not office_hours.open_on(day, t)):
                continue
            with_it = set(shown_at(entries, day, t))
            without = {others[i] for i in shown_at([entries[j] for j in others], day, t)}
            hidden |= without - with_it
    return sorted(hidden)


def with_next(showing: Showing | None, entries: Sequence[Entry], tz: ZoneInfo,
              office_hours: OfficeHours | None = None) -> Showing | None:
    """`showing` with what the zone shows from its `until` on (the rotation is a pure
    function of the clock, so the next slide is known in advance)."""
    if showing is None:
        return None
    return replace(showing, next=what_to_show(entries, showing.until, tz, office_hours))
