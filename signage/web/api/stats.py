"""/api/v1/stats: the office's figures for a period, in the office time zone (staff) —
the same numbers as the /admin reports page. JSON, or one table as CSV."""

from __future__ import annotations

from typing import Any

from signage.usecases import reports as uc
from signage.web.api import STAFF, blueprint, csv_response, lobby, operation
from signage.web.api import query as run_query  # `query` is the parsed query string

bp = blueprint("stats")

TABLES_RULE = "with format=csv, `table` is one of: "


def _answer(figures: Any, query: uc.StatsQuery, name: str, tables: tuple[str, ...],
            *more: Any) -> Any:
    clock = lobby().clock
    period = uc.period_of(query, clock.now(), clock.tz)
    stats = run_query(figures, period, clock.tz, *more)
    if query.format == "csv":
        rows = uc.table_of(stats, query.table, tables)
        table = query.table or tables[0]
        return csv_response(rows, f"{name}-{table}-{period.since}-{period.until}")
    return stats


@operation(bp, "GET", "/stats/queue", roles=STAFF, query=uc.StatsQuery, csv=True,
           summary="The queue's figures for a period (staff)",
           description="Tickets issued, served and no-shows per day, hour, service, counter "
                       "and officer; waiting and service times (median, p90, distribution). "
                       + TABLES_RULE + ", ".join(uc.QUEUE_TABLES) + " (default by_day).",
           responses={200: uc.QueueStats})
def queue_stats(query: uc.StatsQuery):
    return _answer(uc.queue_stats, query, "hang-doi", uc.QUEUE_TABLES)


@operation(bp, "GET", "/stats/ratings", roles=STAFF, query=uc.StatsQuery, csv=True,
           summary="Citizens' ratings for a period (staff)",
           description="Satisfaction overall and per day, counter, officer and service; "
                       "levels of the scale; reasons given. " + TABLES_RULE
                       + ", ".join(uc.RATING_TABLES) + " (default by_day).",
           responses={200: uc.RatingStats})
def rating_stats(query: uc.StatsQuery):
    return _answer(uc.rating_stats, query, "danh-gia", uc.RATING_TABLES)


@operation(bp, "GET", "/stats/play", roles=STAFF, query=uc.StatsQuery, csv=True,
           summary="Proof of play: how long each notice was on screen per zone (staff)",
           description="From what the screens' pages reported showing (one row per slide "
                       "change per screen); seconds are summed over a zone's screens and cut "
                       "at the period's office midnights. " + TABLES_RULE
                       + ", ".join(uc.PLAY_TABLES) + " (default by_notice).",
           responses={200: uc.PlayStats})
def play_stats(query: uc.StatsQuery):
    return _answer(uc.play_stats, query, "trinh-chieu", uc.PLAY_TABLES, lobby().clock.now())


@operation(bp, "GET", "/stats/feedback", roles=STAFF, query=uc.PeriodQuery,
           summary="Feedback received in a period, by state (staff)",
           responses={200: uc.FeedbackStats})
def feedback_stats(query: uc.PeriodQuery):
    clock = lobby().clock
    return run_query(uc.feedback_stats, uc.period_of(query, clock.now(), clock.tz), clock.tz)
