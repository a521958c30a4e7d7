"""Pure arithmetic of the reports: periods of office days, buckets in the office time
zone, medians and 90th percentiles. No store, no clock: tests drive them with values.

A period is whole office days, `since` to `until` inclusive; it starts at `since`'s
midnight in the office zone and ends at the midnight after `until` there, so a ticket
taken at 23:59 on the 31st and one at 00:01 on the 1st land in different months
whatever the server's own zone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    since: date
    until: date  # inclusive

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware moments: office midnights."""
        start = datetime(self.since.year, self.since.month, self.since.day, tzinfo=tz)
        after = self.until + timedelta(days=1)
        return start, datetime(after.year, after.month, after.day, tzinfo=tz)

    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    @property
    def length(self) -> int:
        return (self.until - self.since).days + 1


def month_of(day: date) -> Period:
    """The calendar month containing `day`."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def previous_month(day: date) -> Period:
    """The calendar month before the one containing `day` (what results slides show)."""
    return month_of(day.replace(day=1) - timedelta(days=1))


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def local_hour(moment: datetime, tz: ZoneInfo) -> int:
    return moment.astimezone(tz).hour


def quantile(values: list[float], q: float) -> float | None:
    """The q-quantile of `values` (linear between closest ranks; None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _whole(value: float | None) -> int | None:
    return None if value is None else int(round(value))


def spread(seconds: Iterable[float]) -> dict[str, int | None]:
    """{"count", "median_s", "p90_s", "mean_s"} of durations in seconds."""
    values = list(seconds)
    return {"count": len(values), "median_s": _whole(quantile(values, 0.5)),
            "p90_s": _whole(quantile(values, 0.9)),
            "mean_s": _whole(sum(values) / len(values)) if values else None}


# Edges of the waiting / service time distributions, in minutes (the last is open).
DURATION_EDGES_MIN = (0, 5, 10, 15, 20, 30, 45, 60, 90, 120)


def histogram(seconds: Iterable[float], edges_min: tuple[int, ...] = DURATION_EDGES_MIN
              ) -> list[dict[str, int | None]]:
    """Counts of durations per bucket [from, to) in minutes; the last bucket has no end."""
    counts = [0] * len(edges_min)
    for value in seconds:
        minutes = max(0.0, value / 60)
        index = max(i for i, edge in enumerate(edges_min) if minutes >= edge)
        counts[index] += 1
    return [{"from_min": edge, "to_min": edges_min[i + 1] if i + 1 < len(edges_min) else None,
             "count": counts[i]} for i, edge in enumerate(edges_min)]


def percent(part: int, whole: int) -> float | None:
    """part/whole in percent, one decimal (None when there is no whole)."""
    return round(100 * part / whole, 1) if whole else None
