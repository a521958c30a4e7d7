"""Proof of play: how long each notice was on the glass, per zone, from the screens' own
reports (signage.fleet records one row per slide change per screen).

A row opens when a screen's page reports a new slide (`status.showing`) and closes when
the next one starts or the screen goes away. The figures of a period clip each row to
the period's office days (signage.evaluation.figures), and split it at office midnights
for the per-day table. A row still open counts up to now while its screen is heard,
else up to when it was last heard.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from signage.evaluation.figures import Period
from signage.store.models import Notice, Screen, Slide
from signage.store.models_fleet import Play

# A stored last_seen_at older than this before a new report means the process that held
# the screen's socket stopped without closing its row: it ends when it was last heard.
GONE_AFTER = timedelta(seconds=120)
# An open row whose screen was heard within this long is on the glass now.
HEARD_WITHIN = timedelta(seconds=120)


def record_change(session: Session, screen: Screen, event: dict[str, Any],
                  last_seen: datetime | None) -> None:
    """A screen's glass changed at `event["at"]`: close its open row; open one for the
    new slide (`slide_id` None: nothing now — idle, closed, or disconnected).
    `last_seen`: the screen's last_seen_at as stored before this batch."""
    at: datetime = event["at"]
    end = at
    if last_seen is not None and last_seen < at - GONE_AFTER:
        end = last_seen
    for row in session.scalars(select(Play).where(Play.screen_id == screen.id,
                                                  Play.ended_at.is_(None))):
        row.ended_at = max(row.started_at, end)
    slide_id = event.get("slide_id")
    if not isinstance(slide_id, int) or isinstance(slide_id, bool):
        return
    slide = session.get(Slide, slide_id)
    notice = session.get(Notice, slide.notice_id) if slide is not None else None
    session.add(Play(screen_id=screen.id, zone_id=screen.zone_id, zone_slug=screen.zone.slug,
                     slide_id=slide_id, notice_id=notice.id if notice else None,
                     title=(notice.title if notice else str(event.get("title") or ""))[:300],
                     kind=notice.kind if notice else None, started_at=at))


def _days(start: datetime, end: datetime, tz: ZoneInfo) -> list[tuple[str, float]]:
    """[start, end) split at office midnights: (date, seconds) pieces."""
    pieces = []
    while start < end:
        local = start.astimezone(tz)
        # Aware + timedelta is wall-clock arithmetic in the zone: the next local midnight.
        midnight = datetime(local.year, local.month, local.day, tzinfo=tz) + timedelta(days=1)
        stop = min(end, midnight)
        pieces.append((local.date().isoformat(), (stop - start).total_seconds()))
        start = stop
    return pieces


def play_report(session: Session, period: Period, tz: ZoneInfo, now: datetime) -> dict[str, Any]:
    """Seconds each notice was on screen per zone in the period (summed over the zone's
    screens), how many times it came on, on how many screens; and per office day."""
    start, end = period.bounds(tz)
    rows = session.execute(
        select(Play.zone_slug, Play.notice_id, Play.title, Play.kind, Play.screen_id,
               Play.started_at, Play.ended_at, Screen.last_seen_at)
        .join(Screen, Screen.id == Play.screen_id)
        .where(Play.started_at < end, or_(Play.ended_at.is_(None), Play.ended_at > start))
        .order_by(Play.started_at)).all()
    by_notice: dict[tuple[str, Any], dict[str, Any]] = {}
    by_day: dict[tuple[str, str, Any], dict[str, Any]] = defaultdict(lambda: {"seconds": 0.0})
    for row in rows:
        stop = row.ended_at
        if stop is None:
            heard = row.last_seen_at
            stop = now if heard is not None and now - heard <= HEARD_WITHIN else (heard or now)
        lo, hi = max(row.started_at, start), min(stop, end, now)
        if hi <= lo:
            continue
        key = (row.zone_slug, row.notice_id if row.notice_id is not None else row.title)
        entry = by_notice.setdefault(key, {
            "zone": row.zone_slug, "notice_id": row.notice_id, "kind": row.kind,
            "title": row.title, "plays": 0, "screens": set(), "seconds": 0.0})
        entry["plays"] += 1
        entry["screens"].add(row.screen_id)
        entry["seconds"] += (hi - lo).total_seconds()
        for day, seconds in _days(lo, hi, tz):
            cell = by_day[(day, *key)]
            cell.update({"date": day, "zone": row.zone_slug, "notice_id": row.notice_id,
                         "title": row.title})
            cell["seconds"] += seconds
    notices = sorted(by_notice.values(), key=lambda e: (e["zone"], -e["seconds"], e["title"]))
    return {
        "since": period.since.isoformat(), "until": period.until.isoformat(),
        "timezone": tz.key,
        "totals": {"seconds": round(sum(e["seconds"] for e in notices)),
                   "plays": sum(e["plays"] for e in notices),
                   "screens": len({s for e in notices for s in e["screens"]})},
        "by_notice": [{**e, "screens": len(e["screens"]), "seconds": round(e["seconds"])}
                      for e in notices],
        "by_day": [{**cell, "seconds": round(cell["seconds"])}
                   for _, cell in sorted(by_day.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                          -kv[1]["seconds"]))],
    }
