"""/admin/audit: the audit log, filtered by actor, action and date (admin only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import render_template, request

from signage.accounts.audit import AuditQuery, actions_seen, find_entries
from signage.web.admin import bp, roles
from signage.web.admin.views import lobby

PAGE_SIZE = 50


def parse_moment(raw: str | None, tz: ZoneInfo, end: bool = False) -> datetime | None:
    """A date ("2026-11-26": the office's day) or an ISO datetime; None if empty.

    With `end`, a bare date means the end of that day (the start of the next), so
    "from 26 to 26" is the whole of the 26th. Raises ValueError on nonsense.
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) == 10:
        day = date.fromisoformat(raw) + (timedelta(days=1) if end else timedelta())
        return datetime.combine(day, time(), tzinfo=tz)
    moment = datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def query_from_args(args, tz: ZoneInfo) -> AuditQuery:
    return AuditQuery(
        actor=(args.get("actor") or "").strip() or None,
        action=(args.get("action") or "").strip() or None,
        target=(args.get("target") or "").strip() or None,
        since=parse_moment(args.get("since"), tz),
        until=parse_moment(args.get("until"), tz, end=True),
    )


@bp.get("/audit")
@roles({"admin"})
def audit():
    lob = lobby()
    try:
        query = query_from_args(request.args, lob.clock.tz)
        bad_date = False
    except ValueError:
        query, bad_date = AuditQuery(), True
    page = max(1, request.args.get("page", 1, type=int) or 1)
    with lob.store.read() as db:
        rows, total = find_entries(db, query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        actions = actions_seen(db)
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render_template("admin/audit.html", entries=rows, total=total, page=page, pages=pages,
                           actions=actions, args=request.args, bad_date=bad_date)
