"""The queue as JSON: one ticket, the whole state (API, counter console), the panel a
zone's screens show, and a citizen's own status page. Public views carry no token
and no personal data (the queue holds none: a ticket is a number and a service).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.errors import N_, NotFound
from signage.queueing.announce import recent_call_payloads, speech_settings
from signage.queueing.calling import waiting_order
from signage.queueing.catalog import counter_json, list_counters, list_services, service_json
from signage.queueing.numbering import (
    PRIORITY_GROUPS,
    IssuedTicket,
    numbers_left,
    numbers_left_all,
    office_date,
    running_low,
)
from signage.queueing.waits import estimate, waiting_counts
from signage.store.models import Zone
from signage.store.models_queue import QueueCounter, QueueEvent, QueueService, Ticket

LAST_CALLS = 6
# A screen that reconnects announces the calls it missed if they are at most this old
# (docs/protocol.md, "Calls missed in a gap"); the snapshot carries those calls.
RECENT_CALL_S = 60
WAITING_LIST_LIMIT = 200


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def iso_local(iso: str, tz: ZoneInfo) -> str:
    """"HH:MM dd/mm/yyyy" in the office zone, as printed on a ticket."""
    return datetime.fromisoformat(iso).astimezone(tz).strftime("%H:%M %d/%m/%Y")


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """A ticket for staff and for its holder (no token: the issuer adds it)."""
    counter = ticket.counter
    return {
        "id": ticket.id,
        "number": ticket.number,
        "display": ticket.display,
        "service": ticket.service.code,
        "service_name": ticket.service.name,
        "queue_service": ticket.queue_service.code,
        "queue_service_name": ticket.queue_service.name,
        "priority": ticket.priority,
        "priority_label": PRIORITY_GROUPS.get(ticket.priority) if ticket.priority else None,
        "status": ticket.status,
        "counter": counter.number if counter else None,
        "counter_id": counter.id if counter else None,
        "counter_name": counter.name if counter else None,
        "target_counter_id": ticket.target_counter_id,
        "office_date": ticket.office_date.isoformat(),
        "issued_at": _iso(ticket.issued_at),
        "called_at": _iso(ticket.called_at),
        "finished_at": _iso(ticket.finished_at),
        "calls": ticket.calls,
    }


def supply(session: Session, service: QueueService, today) -> dict[str, Any]:
    """How many numbers the service has left today, and whether to warn about it."""
    left = numbers_left(session, service, today)
    return {"numbers_left": left, "running_low": running_low(service, left)}


def issued_json(ticket: IssuedTicket) -> dict[str, Any]:
    """What the kiosk gets back for a number just taken, with its token (people ahead
    and the estimated wait are read after commit: `waits.estimate_issued`)."""
    return {
        "id": ticket.id,
        "number": ticket.number,
        "display": ticket.display,
        "service": ticket.service_code,
        "service_name": ticket.service_name,
        "queue_service": ticket.service_code,
        "queue_service_name": ticket.service_name,
        "priority": ticket.priority,
        "priority_label": PRIORITY_GROUPS.get(ticket.priority) if ticket.priority else None,
        "status": ticket.status,
        "counter": None,
        "counter_id": None,
        "counter_name": None,
        "target_counter_id": None,
        "office_date": ticket.office_date.isoformat(),
        "issued_at": _iso(ticket.issued_at),
        "called_at": None,
        "finished_at": None,
        "calls": 0,
        "token": ticket.token,
        "status_url": f"/t/{ticket.token}",
        "numbers_left": ticket.numbers_left,
        "running_low": ticket.running_low,
    }


def ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.token == token)) if token else None
    if ticket is None:
        raise NotFound(N_("Không tìm thấy phiếu này."))
    return ticket


def ticket_status(session: Session, token: str, now: datetime) -> dict[str, Any]:
    """A citizen's live status page (/t/<token>): where am I, how long still."""
    ticket = ticket_by_token(session, token)
    body = {**ticket_json(ticket), **estimate(session, ticket, now)}
    body.pop("counter_id")
    body["now_serving"] = _serving(session, ticket.office_date, ticket.queue_service_id)
    return body


def _serving(session: Session, today, service_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Ticket.display, QueueCounter.number)
        .join(QueueCounter, QueueCounter.id == Ticket.counter_id)
        .where(Ticket.office_date == today, Ticket.status == "called",
               Ticket.queue_service_id == service_id)
        .order_by(QueueCounter.number)
    ).all()
    return [{"ticket": d, "counter": n} for d, n in rows]


def recent_calls(session: Session, today, counter_ids: list[int] | None = None,
                 limit: int = LAST_CALLS) -> list[dict[str, Any]]:
    """The last calls of the day, newest first (recalls included, marked)."""
    query = (
        select(QueueEvent.kind, QueueEvent.at, Ticket.display, QueueCounter.number,
               QueueCounter.name)
        .join(Ticket, Ticket.id == QueueEvent.ticket_id)
        .join(QueueCounter, QueueCounter.id == QueueEvent.counter_id)
        .where(QueueEvent.kind.in_(("called", "recalled")), Ticket.office_date == today)
        .order_by(QueueEvent.id.desc()).limit(limit)
    )
    if counter_ids is not None:
        query = query.where(QueueEvent.counter_id.in_(counter_ids))
    return [{"ticket": display, "counter": number, "counter_name": name, "at": at.isoformat(),
             "recall": kind == "recalled"}
            for kind, at, display, number, name in session.execute(query)]


def _current_by_counter(session: Session, today) -> dict[int, Ticket]:
    tickets = session.scalars(
        select(Ticket).where(Ticket.office_date == today, Ticket.status == "called")
        .order_by(Ticket.called_at))
    return {t.counter_id: t for t in tickets if t.counter_id is not None}


# The waiting line as rows, not entities: it is read on every queue refresh, up to
# WAITING_LIST_LIMIT tickets long (loading entities was a fifth of the server's CPU
# under a burst of kiosks, bench/tickets.py).
_LINE = (select(Ticket.id, Ticket.display, QueueService.code.label("service"), Ticket.priority,
                Ticket.issued_at, Ticket.target_counter_id, Ticket.counter_id, Ticket.calls,
                Ticket.status)
         .join(QueueService, QueueService.id == Ticket.queue_service_id))


def _line_json(row: Any) -> dict[str, Any]:
    return {"id": row.id, "display": row.display, "service": row.service,
            "priority": row.priority, "issued_at": _iso(row.issued_at),
            "target_counter_id": row.target_counter_id, "counter_id": row.counter_id,
            "calls": row.calls}


def queue_state(session: Session, now: datetime, tz: ZoneInfo | None = None) -> dict[str, Any]:
    """Everything the counter console and integrators read (GET /api/v1/queue)."""
    today = office_date(now, tz)
    current = _current_by_counter(session, today)
    counters = []
    for counter in list_counters(session):
        ticket = current.get(counter.id)
        counters.append({**counter_json(counter),
                         "current": ticket_json(ticket) if ticket else None})
    counts = waiting_counts(session, today)
    services = list_services(session)
    left = numbers_left_all(session, services, today)
    line = _LINE.where(Ticket.office_date == today)
    waiting = session.execute(line.where(Ticket.status == "waiting")
                              .order_by(*waiting_order()).limit(WAITING_LIST_LIMIT))
    held = session.execute(line.where(Ticket.status.in_(("held", "skipped")))
                           .order_by(Ticket.issued_at, Ticket.id))
    issued = session.scalar(select(func.count()).select_from(Ticket)
                            .where(Ticket.office_date == today, Ticket.status != "void")) or 0
    return {
        "office_date": today.isoformat(),
        "time": now.isoformat(),
        "services": [{**service_json(s), "waiting": counts.get(s.code, 0),
                      "numbers_left": left[s.id], "running_low": running_low(s, left[s.id])}
                     for s in services],
        "counters": counters,
        "waiting_total": sum(counts.values()),
        "issued_today": issued,
        "waiting": [_line_json(t) for t in waiting],
        "set_aside": [{**_line_json(t), "status": t.status} for t in held],
        "last_calls": recent_calls(session, today, limit=10),
        "speech": speech_settings(session),
        "priority_groups": PRIORITY_GROUPS,
    }


def visible_counters(session: Session, zone: Zone) -> list[QueueCounter]:
    """Active counters a zone's screens show: those with no zone list, or listing it."""
    return [c for c in list_counters(session, active_only=True)
            if not c.zones or any(z.id == zone.id for z in c.zones)]


def panel(session: Session, zone: Zone, now: datetime, tz: ZoneInfo | None = None
          ) -> dict[str, Any]:
    """The queue panel of one zone's screens: each counter's ticket and the last calls."""
    today = office_date(now, tz)
    counters = visible_counters(session, zone)
    current = _current_by_counter(session, today) if counters else {}
    served = {s.code for c in counters for s in c.services}
    counts = waiting_counts(session, today) if counters else {}
    return {
        "office_date": today.isoformat(),
        "counters": [
            {"id": c.id, "number": c.number, "name": c.name,
             "ticket": current[c.id].display if c.id in current else None,
             "officer": c.officer}
            for c in counters
        ],
        "last_calls": recent_calls(session, today, [c.id for c in counters]) if counters else [],
        "waiting": sum(n for code, n in counts.items() if code in served),
        "speech": speech_settings(session),
    }


def snapshot_part(session: Session, zone: Zone, now: datetime) -> dict[str, Any]:
    """The "queue" part of a screen's snapshot (registered in signage.app): the panel,
    and `recent_calls`, the zone's calls of the last RECENT_CALL_S seconds as `queue.call`
    payloads (a screen that missed one in a gap announces it once)."""
    counters = [c.id for c in visible_counters(session, zone)]
    return {"queue": {**panel(session, zone, now), "recent_calls": recent_call_payloads(
        session, counters, now - timedelta(seconds=RECENT_CALL_S))}}
