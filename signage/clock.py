"""The office clock. Every "today" and "midnight" is computed from it, in the office zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime:
        """An aware datetime in the office time zone."""
        ...


class SystemClock:
    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.tz = start.tzinfo if isinstance(start.tzinfo, ZoneInfo) else ZoneInfo("UTC")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when


def office_day_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight (office zone) of the office day containing `moment`."""
    local = moment.astimezone(tz)
    return datetime(local.year, local.month, local.day, tzinfo=tz)


def next_office_midnight(moment: datetime, tz: ZoneInfo) -> datetime:
    start = office_day_start(moment, tz)
    # Add a day in local terms (robust even in zones with DST).
    nxt = start.replace(tzinfo=None) + timedelta(days=1)
    return nxt.replace(tzinfo=tz)
