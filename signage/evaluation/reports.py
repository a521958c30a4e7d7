"""The office's figures for a period: the queue (tickets issued and served, waiting and
service times, no-shows, calls per counter, work per officer) and the ratings
(distribution, satisfaction per counter, officer, service and reason).

Everything is bucketed in the office time zone (signage.evaluation.figures). The rows
of a period are read once and counted in Python: a ward serves a few hundred citizens
a day, so a year is some 100,000 rows (bench/reports.py measures it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.evaluation.duty import duties_between
from signage.evaluation.figures import (
    Period,
    histogram,
    local_day,
    local_hour,
    percent,
    previous_month,
    spread,
)
from signage.evaluation.scales import REASONS, SCALES, satisfied
from signage.store.models_evaluation import Officer, Rating
from signage.store.models_queue import QueueCounter, QueueEvent, QueueService, Ticket


def _head(period: Period, tz: ZoneInfo) -> dict[str, Any]:
    return {"since": period.since.isoformat(), "until": period.until.isoformat(),
            "timezone": tz.key}


class _OfficerOf:
    """Who was on duty at a counter at a moment, from the period's duty rows."""

    def __init__(self, session: Session, start: datetime, end: datetime) -> None:
        self._by_counter: dict[int, list[tuple[datetime, datetime | None, int]]] = defaultdict(list)
        for duty in duties_between(session, start, end):
            self._by_counter[duty.counter_id].append((duty.started_at, duty.ended_at,
                                                      duty.officer_id))

    def __call__(self, counter_id: int | None, moment: datetime | None) -> int | None:
        if counter_id is None or moment is None:
            return None
        for started, ended, officer_id in self._by_counter.get(counter_id, ()):
            if started <= moment and (ended is None or moment < ended):
                return officer_id
        return None


def _names(session: Session, model: Any, column: Any, ids: Iterable[int]) -> dict[int, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(column.in_(wanted)))}


# ---- the queue ----------------------------------------------------------------------------

def queue_report(session: Session, period: Period, tz: ZoneInfo) -> dict[str, Any]:
    """Tickets of the period's office days (voided prints left out)."""
    start, end = period.bounds(tz)
    tickets = session.execute(
        select(Ticket.office_date, Ticket.issued_at, Ticket.called_at, Ticket.finished_at,
               Ticket.status, Ticket.service_id, Ticket.queue_service_id, Ticket.counter_id)
        .where(Ticket.office_date >= period.since, Ticket.office_date <= period.until,
               Ticket.status != "void")).all()
    officer_of = _OfficerOf(session, start, end)
    days = {d: {"issued": 0, "served": 0, "no_show": 0, "waits": [], "services": []}
            for d in period.days()}
    hours: dict[int, dict[str, int]] = defaultdict(lambda: {"issued": 0, "served": 0})
    services: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"issued": 0, "served": 0, "no_show": 0, "waits": [], "services": []})
    counters: dict[int, dict[str, Any]] = defaultdict(lambda: {"served": 0, "services": []})
    officers: dict[int, dict[str, Any]] = defaultdict(lambda: {"served": 0, "services": []})
    waits, spans = [], []
    for day, issued, called, finished, status, taken_for, served_in, counter_id in tickets:
        bucket = days.setdefault(day, {"issued": 0, "served": 0, "no_show": 0, "waits": [],
                                       "services": []})
        bucket["issued"] += 1
        hours[local_hour(issued, tz)]["issued"] += 1
        services[taken_for]["issued"] += 1
        if called is not None:
            wait = (called - issued).total_seconds()
            waits.append(wait)
            bucket["waits"].append(wait)
            services[served_in]["waits"].append(wait)
        if status == "skipped":
            bucket["no_show"] += 1
            services[served_in]["no_show"] += 1
        if status == "done" and called is not None and finished is not None:
            span = (finished - called).total_seconds()
            spans.append(span)
            bucket["served"] += 1
            bucket["services"].append(span)
            hours[local_hour(finished, tz)]["served"] += 1
            for group in (services[served_in], counters[counter_id]):
                group["served"] += 1
                group["services"].append(span)
            officer_id = officer_of(counter_id, finished)
            if officer_id is not None:
                officers[officer_id]["served"] += 1
                officers[officer_id]["services"].append(span)
    calls = Counter(dict(session.execute(
        select(QueueEvent.counter_id, func.count()).where(
            QueueEvent.kind.in_(("called", "recalled")), QueueEvent.at >= start,
            QueueEvent.at < end).group_by(QueueEvent.counter_id)).all()))
    served = sum(b["served"] for b in days.values())
    no_show = sum(b["no_show"] for b in days.values())
    service_rows = _names(session, QueueService, QueueService.id, services)
    counter_rows = _names(session, QueueCounter, QueueCounter.id, [*counters, *calls])
    officer_rows = _names(session, Officer, Officer.id, officers)
    return {
        **_head(period, tz),
        "totals": {"issued": len(tickets), "served": served, "no_show": no_show,
                   "no_show_pct": percent(no_show, served + no_show),
                   "waiting": spread(waits), "service": spread(spans)},
        "by_day": [{"date": d.isoformat(), "issued": b["issued"], "served": b["served"],
                    "no_show": b["no_show"], "waiting_median_s": spread(b["waits"])["median_s"],
                    "service_median_s": spread(b["services"])["median_s"]}
                   for d, b in sorted(days.items())],
        "by_hour": [{"hour": h, **hours[h]} for h in range(24) if h in hours],
        "by_service": [
            {"code": service_rows[sid].code, "name": service_rows[sid].name,
             "issued": g["issued"], "served": g["served"], "no_show": g["no_show"],
             "waiting_median_s": spread(g["waits"])["median_s"],
             "waiting_p90_s": spread(g["waits"])["p90_s"],
             "service_median_s": spread(g["services"])["median_s"],
             "service_p90_s": spread(g["services"])["p90_s"]}
            for sid, g in sorted(services.items(), key=lambda item: (
                service_rows[item[0]].position, item[0]) if item[0] in service_rows else (0, 0))
            if sid in service_rows],
        "by_counter": sorted(
            ({"number": counter_rows[cid].number, "name": counter_rows[cid].name,
              "calls": calls.get(cid, 0), "served": counters[cid]["served"] if cid in counters
              else 0,
              "service_median_s": spread(counters[cid]["services"])["median_s"]
              if cid in counters else None}
             for cid in counter_rows), key=lambda row: row["number"]),
        "by_officer": sorted(
            ({"id": oid, "name": officer_rows[oid].name, "served": g["served"],
              "service_median_s": spread(g["services"])["median_s"]}
             for oid, g in officers.items() if oid in officer_rows),
            key=lambda row: (-row["served"], row["name"])),
        "waiting_distribution": histogram(waits),
        "service_distribution": histogram(spans),
    }


# ---- ratings ------------------------------------------------------------------------------

def _satisfaction(items: list[tuple[int, int]]) -> dict[str, Any]:
    """{"count", "satisfied", "satisfied_pct"} of (scale, score) pairs."""
    happy = sum(1 for scale, score in items if satisfied(scale, score))
    return {"count": len(items), "satisfied": happy, "satisfied_pct": percent(happy, len(items))}


def _grouped(rows: list[Any], key: Callable[[Any], Any]) -> dict[Any, list[tuple[int, int]]]:
    groups: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append((row.scale, row.score))
    return groups


def ratings_report(session: Session, period: Period, tz: ZoneInfo) -> dict[str, Any]:
    """Ratings given in the period (by the moment they were given)."""
    start, end = period.bounds(tz)
    # Only the columns counted (rows, not ORM objects: a year is tens of thousands).
    rows = session.execute(
        select(Rating.at, Rating.scale, Rating.score, Rating.counter_id, Rating.officer_id,
               Rating.service_id, Rating.reasons)
        .where(Rating.at >= start, Rating.at < end)).all()
    levels = Counter((r.scale, r.score) for r in rows)
    by_day = _grouped(rows, lambda r: local_day(r.at, tz))
    by_counter = _grouped(rows, lambda r: r.counter_id)
    by_officer = _grouped(rows, lambda r: r.officer_id)
    by_service = _grouped(rows, lambda r: r.service_id)
    reasons = Counter(code for r in rows for code in (r.reasons or []))
    counter_rows = _names(session, QueueCounter, QueueCounter.id, by_counter)
    officer_rows = _names(session, Officer, Officer.id, by_officer)
    service_rows = _names(session, QueueService, QueueService.id, by_service)
    scales = sorted({scale for scale, _ in levels}) or [3]
    return {
        **_head(period, tz),
        "totals": {**_satisfaction([(r.scale, r.score) for r in rows]),
                   "levels": [{"scale": scale, "score": score, "label": label,
                               "count": levels.get((scale, score), 0)}
                              for scale in scales
                              for score, label in sorted(SCALES[scale].items(), reverse=True)]},
        "by_day": [{"date": d.isoformat(), **_satisfaction(by_day.get(d, []))}
                   for d in period.days()],
        "by_counter": sorted(({"number": counter_rows[cid].number, "name": counter_rows[cid].name,
                               **_satisfaction(items)}
                              for cid, items in by_counter.items() if cid in counter_rows),
                             key=lambda row: row["number"]),
        "by_officer": sorted(({"id": oid, "name": officer_rows[oid].name if oid in officer_rows
                               else None, **_satisfaction(items)}
                              for oid, items in by_officer.items()),
                             key=lambda row: (row["name"] is None, row["name"] or "")),
        "by_service": sorted(({"code": service_rows[sid].code, "name": service_rows[sid].name,
                               **_satisfaction(items)}
                              for sid, items in by_service.items() if sid in service_rows),
                             key=lambda row: (-row["count"], row["code"])),
        "by_reason": [{"code": code, "label": label, "count": reasons.get(code, 0)}
                      for code, label in REASONS.items()],
    }


# ---- the results slide on the lobby TVs ------------------------------------------------

def results_slide(session: Session, today: date, tz: ZoneInfo) -> dict[str, Any]:
    """What the "Kết quả đánh giá sự hài lòng" slide shows on office day `today`: the
    previous calendar month's ratings, overall (with the share of each level) and per
    service, most rated first. The same figures as `ratings_report` for that month."""
    period = previous_month(today)
    report = ratings_report(session, period, tz)
    totals = report["totals"]
    levels: dict[str, int] = {}
    # Both scales may have been used in a month (the setting changed): a level is its
    # words ("Hài lòng" on either scale), best first.
    for level in sorted(totals["levels"], key=lambda lv: lv["scale"], reverse=True):
        levels[level["label"]] = levels.get(level["label"], 0) + level["count"]
    return {
        "since": report["since"], "until": report["until"],
        "month": period.since.month, "year": period.since.year,
        "count": totals["count"], "satisfied": totals["satisfied"],
        "satisfied_pct": totals["satisfied_pct"],
        "levels": [{"label": label, "count": count, "pct": percent(count, totals["count"])}
                   for label, count in levels.items() if count],
        "services": [{key: row[key] for key in ("code", "name", "count", "satisfied",
                                                 "satisfied_pct")}
                     for row in report["by_service"]],
    }
