"""People ahead and the estimated wait, from recent service times.

The estimate is deliberately simple and explainable to a citizen: (people ahead)
× (average service time of the last completed tickets of that service) ÷ (active
counters serving it). Five minutes per citizen until the office has history.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from signage.store.models_queue import QueueCounter, QueueService, Ticket, counter_services

DEFAULT_SERVICE_S = 300
RECENT_TICKETS = 20
RECENT_DAYS = 14
MIN_SERVICE_S, MAX_SERVICE_S = 30, 3600


_RECENT_SPANS = (
    select(Ticket.called_at, Ticket.finished_at)
    .where(Ticket.queue_service_id == bindparam("service_id"), Ticket.status == "done",
           Ticket.finished_at >= bindparam("since", type_=Ticket.__table__.c.finished_at.type),
           Ticket.called_at.is_not(None))
    .order_by(Ticket.finished_at.desc()).limit(RECENT_TICKETS)
)


def average_service_seconds(session: Session, service_id: int, now: datetime) -> int:
    """Mean service time (called → done) of the service's last completed tickets."""
    rows = session.execute(_RECENT_SPANS, {"service_id": service_id,
                                           "since": now - timedelta(days=RECENT_DAYS)}).all()
    spans = [(done - called).total_seconds() for called, done in rows if done and called]
    if not spans:
        return DEFAULT_SERVICE_S
    mean = sum(spans) / len(spans)
    return int(min(MAX_SERVICE_S, max(MIN_SERVICE_S, mean)))


def counters_serving(session: Session, service_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(counter_services)
        .join(QueueCounter, QueueCounter.id == counter_services.c.counter_id)
        .where(counter_services.c.service_id == service_id, QueueCounter.active.is_(True))
    ) or 0


def people_ahead(session: Session, ticket: Ticket) -> int:
    """Waiting tickets of the same queue that the priority rule calls before this one."""
    if ticket.status != "waiting":
        return 0
    earlier = or_(Ticket.issued_at < ticket.issued_at,
                  and_(Ticket.issued_at == ticket.issued_at, Ticket.id < ticket.id))
    in_lane = Ticket.priority.is_not(None)
    before = and_(in_lane, earlier) if ticket.priority else or_(in_lane, earlier)
    return session.scalar(
        select(func.count()).select_from(Ticket)
        .where(Ticket.office_date == ticket.office_date, Ticket.status == "waiting",
               Ticket.queue_service_id == ticket.queue_service_id, Ticket.id != ticket.id,
               before)
    ) or 0


def estimate(session: Session, ticket: Ticket, now: datetime) -> dict[str, int]:
    """{"people_ahead", "estimated_wait_s", "average_service_s"} for a ticket."""
    ahead = people_ahead(session, ticket)
    average = average_service_seconds(session, ticket.queue_service_id, now)
    counters = max(1, counters_serving(session, ticket.queue_service_id))
    return {
        "people_ahead": ahead,
        "average_service_s": average,
        "estimated_wait_s": int(round(ahead * average / counters)),
    }


def waiting_counts(session: Session, today) -> dict[str, int]:
    """Service code -> tickets waiting in its queue today."""
    rows = session.execute(
        select(QueueService.code, func.count(Ticket.id))
        .join(Ticket, Ticket.queue_service_id == QueueService.id)
        .where(Ticket.office_date == today, Ticket.status == "waiting")
        .group_by(QueueService.code)
    ).all()
    return {code: n for code, n in rows}


def _issued_estimate_statement():
    """One read for a number just taken: people ahead, recent service times, counters."""
    me = aliased(Ticket, name="me")
    other = aliased(Ticket, name="other")
    earlier = or_(other.issued_at < me.issued_at,
                  and_(other.issued_at == me.issued_at, other.id < me.id))
    in_lane = other.priority.is_not(None)
    ahead = (
        select(func.count()).select_from(other)
        .where(other.office_date == me.office_date, other.status == "waiting",
               other.queue_service_id == me.queue_service_id, other.id != me.id,
               or_(and_(me.priority.is_not(None), in_lane, earlier),
                   and_(me.priority.is_(None), or_(in_lane, earlier))))
        .scalar_subquery()
    )
    counters = (
        select(func.count()).select_from(counter_services)
        .join(QueueCounter, QueueCounter.id == counter_services.c.counter_id)
        .where(counter_services.c.service_id == me.queue_service_id,
               QueueCounter.active.is_(True))
        .scalar_subquery()
    )
    return select(me.status, me.queue_service_id, ahead, counters).where(
        me.id == bindparam("ticket_id"))


_ISSUED_ESTIMATE = _issued_estimate_statement()


def estimate_issued(session: Session, ticket_id: int, now: datetime) -> dict[str, int]:
    """The estimate of a ticket by id (a number just taken, read after its commit)."""
    row = session.execute(_ISSUED_ESTIMATE, {"ticket_id": ticket_id}).one_or_none()
    if row is None:  # cannot be: it was committed before this read
        return {"people_ahead": 0, "average_service_s": DEFAULT_SERVICE_S, "estimated_wait_s": 0}
    status, service_id, ahead, counters = row
    ahead = ahead if status == "waiting" else 0
    average = average_service_seconds(session, service_id, now)
    return {
        "people_ahead": ahead,
        "average_service_s": average,
        "estimated_wait_s": int(round(ahead * average / max(1, counters))),
    }
