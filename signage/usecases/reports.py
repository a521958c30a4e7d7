"""The office's figures for a chosen period (reads only): the queue, the ratings, the
feedback box. The API (`/api/v1/stats/...`), the /admin reports page, the CLI exports
and the results slide all read them here, so they show the same numbers.

A period is whole office days (`since`, `until` inclusive, YYYY-MM-DD) in the office
time zone; by default the current month up to today. At most 366 days.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid
from signage.evaluation import feedback, plays, reports
from signage.evaluation.figures import MAX_DAYS, Period, month_of
from signage.queueing.numbering import office_date
from signage.validation import Model, Output, parse

QUEUE_TABLES = ("by_day", "by_hour", "by_service", "by_counter", "by_officer",
                "waiting_distribution", "service_distribution")
RATING_TABLES = ("by_day", "by_counter", "by_officer", "by_service", "by_reason", "levels")
PLAY_TABLES = ("by_notice", "by_day")


class PeriodQuery(Model):
    """?since=YYYY-MM-DD&until=YYYY-MM-DD (office days, both included)."""

    model_config = {**Model.model_config, "strict": False}
    since: date | None = Field(None, title=N_("Từ ngày"),
                               description="default: the first day of until's month")
    until: date | None = Field(None, title=N_("Đến ngày"), description="default: today")


class ExportQuery(PeriodQuery):
    """A period, and the answer's format."""

    format: Literal["json", "csv"] = Field("json", description="json, or csv (UTF-8 with BOM)")


class StatsQuery(ExportQuery):
    """A period, and the answer's format: JSON (every table) or CSV (one table)."""

    table: str | None = Field(None, description="which table as CSV (default by_day)")


def period_of(spec: PeriodQuery, now: datetime, tz: ZoneInfo) -> Period:
    """The period a query asks for, with its defaults; refuses a reversed or too long one."""
    until = spec.until or office_date(now, tz)
    since = spec.since or month_of(until).since
    if until < since:
        message = N_("phải sau hoặc bằng ngày bắt đầu.")
        raise Invalid(code="invalid_period", fields=[
            FieldProblem("until", message, labels=(N_("Đến ngày"),))])
    period = Period(since, until)
    if period.length > MAX_DAYS:
        message = N_("Khoảng thời gian dài nhất là %(n)s ngày.")
        raise Invalid(message, code="invalid_period", n=MAX_DAYS,
                      fields=[FieldProblem("since", message, {"n": MAX_DAYS})])
    return period


def parse_period(data: Any, now: datetime, tz: ZoneInfo) -> Period:
    return period_of(parse(PeriodQuery, data), now, tz)


# ---- the figures --------------------------------------------------------------------------------

def queue_stats(session: Session, period: Period, tz: ZoneInfo) -> dict[str, Any]:
    return reports.queue_report(session, period, tz)


def rating_stats(session: Session, period: Period, tz: ZoneInfo) -> dict[str, Any]:
    return reports.ratings_report(session, period, tz)


def play_stats(session: Session, period: Period, tz: ZoneInfo, now: datetime) -> dict[str, Any]:
    """Proof of play: how long each notice was on the glass per zone (what the screens
    reported showing; a row still open counts up to `now`)."""
    return plays.play_report(session, period, tz, now)


def results_slide(session: Session, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The figures of the results slide at `now`: last month (office zone)'s ratings."""
    return reports.results_slide(session, now.astimezone(tz).date(), tz)


def feedback_stats(session: Session, period: Period, tz: ZoneInfo) -> dict[str, Any]:
    start, end = period.bounds(tz)
    counts = feedback.counts_by_state(session, start, end)
    return {"since": period.since.isoformat(), "until": period.until.isoformat(),
            "timezone": tz.key, "states": counts, "total": sum(counts.values())}


def table_of(stats: dict[str, Any], name: str | None, tables: tuple[str, ...]) -> list[dict]:
    """One table of a report (for CSV): `by_day` unless named; refuses an unknown name."""
    name = name or tables[0]
    if name not in tables:
        message = N_("phải là một trong: %(expected)s.")
        raise Invalid(code="invalid_parameter", fields=[FieldProblem(
            "table", message, {"expected": ", ".join(tables)}, ("table",))])
    if name == "levels":
        return stats["totals"]["levels"]
    return stats[name]


# ---- the answers' shapes (the OpenAPI document) ---------------------------------------------------

class Spread(Output):
    count: int
    median_s: int | None
    p90_s: int | None
    mean_s: int | None


class QueueTotals(Output):
    issued: int
    served: int
    no_show: int
    no_show_pct: float | None = Field(description="skipped ÷ (served + skipped), percent")
    waiting: Spread = Field(description="taking the number → called")
    service: Spread = Field(description="called → completed")


class QueueDay(Output):
    date: str
    issued: int
    served: int
    no_show: int
    waiting_median_s: int | None
    service_median_s: int | None


class QueueHour(Output):
    hour: int = Field(description="0–23, office time")
    issued: int
    served: int


class QueueService(Output):
    code: str
    name: str
    issued: int
    served: int
    no_show: int
    waiting_median_s: int | None
    waiting_p90_s: int | None
    service_median_s: int | None
    service_p90_s: int | None


class QueueCounterRow(Output):
    number: int
    name: str
    calls: int = Field(description="calls and recalls")
    served: int
    service_median_s: int | None


class QueueOfficer(Output):
    id: int
    name: str
    served: int
    service_median_s: int | None


class Bucket(Output):
    from_min: int
    to_min: int | None = Field(description="null: and longer")
    count: int


class QueueStats(Output):
    since: str
    until: str
    timezone: str
    totals: QueueTotals
    by_day: list[QueueDay]
    by_hour: list[QueueHour]
    by_service: list[QueueService]
    by_counter: list[QueueCounterRow]
    by_officer: list[QueueOfficer]
    waiting_distribution: list[Bucket]
    service_distribution: list[Bucket]


class Satisfaction(Output):
    count: int
    satisfied: int
    satisfied_pct: float | None


class Level(Output):
    scale: int
    score: int
    label: str
    count: int


class RatingTotals(Satisfaction):
    levels: list[Level]


class RatingDay(Satisfaction):
    date: str


class RatingCounter(Satisfaction):
    number: int
    name: str


class RatingOfficer(Satisfaction):
    id: int | None = Field(description="null: nobody with a profile was on duty")
    name: str | None


class RatingService(Satisfaction):
    code: str
    name: str


class ReasonCount(Output):
    code: str
    label: str
    count: int


class RatingStats(Output):
    since: str
    until: str
    timezone: str
    totals: RatingTotals
    by_day: list[RatingDay]
    by_counter: list[RatingCounter]
    by_officer: list[RatingOfficer]
    by_service: list[RatingService]
    by_reason: list[ReasonCount]


class FeedbackStats(Output):
    since: str
    until: str
    timezone: str
    states: dict[str, int] = Field(description="new, in_progress, answered → count")
    total: int


class PlayTotals(Output):
    seconds: int = Field(description="screen-seconds: each screen's time summed")
    plays: int = Field(description="times a notice came on a screen's glass")
    screens: int = Field(description="screens that reported showing something")


class PlayNotice(Output):
    zone: str = Field(description="the zone's slug")
    notice_id: int | None = Field(description="null: the notice was deleted since")
    kind: str | None = Field(description="procedure | law | results")
    title: str = Field(description="its title when it was shown")
    plays: int = Field(description="times it came on a screen of the zone")
    screens: int = Field(description="how many of the zone's screens showed it")
    seconds: int = Field(description="on the glass, summed over the zone's screens")


class PlayDay(Output):
    date: str = Field(description="office day (YYYY-MM-DD, office time zone)")
    zone: str
    notice_id: int | None
    title: str
    seconds: int


class PlayStats(Output):
    since: str
    until: str
    timezone: str
    totals: PlayTotals
    by_notice: list[PlayNotice] = Field(description="per zone, longest first")
    by_day: list[PlayDay] = Field(description="the same per office day (split at midnight)")
