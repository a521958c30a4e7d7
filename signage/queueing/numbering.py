"""Office days and ticket numbers.

A number belongs to (service, office day). It comes from one row of
`queue_sequences` per (series = prefix letter, office day), incremented by a single
INSERT … ON CONFLICT DO UPDATE … RETURNING inside the caller's write transaction,
and `queue_tickets` carries UNIQUE(service_id, office_date, number) as the last
word. Never max()+1: two kiosks reading the same max would print the same number.

"Today" is computed from `now` in the office time zone on every call, never kept.
The day's reset is the first write of a `queue_days` row for that date (see
`open_day` and docs/queue.md); it deletes nothing.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from signage.errors import N_, InvalidState, NotFound
from signage.queueing.catalog import get_service
from signage.store.models_queue import QueueDay, QueueEvent, QueueSequence, QueueService, Ticket

# Who may use the priority lane (Vietnamese law gives these citizens precedence at
# the one-stop-shop). Key -> label shown at the kiosk and on the ticket.
PRIORITY_GROUPS: dict[str, str] = {
    "nguoi-cao-tuoi": "Người cao tuổi",
    "nguoi-khuyet-tat": "Người khuyết tật",
    "phu-nu-mang-thai": "Phụ nữ mang thai",
    "nuoi-con-nho": "Người nuôi con nhỏ dưới 36 tháng",
    "nguoi-co-cong": "Người có công với cách mạng",
    "uu-tien": "Ưu tiên",
}

OPEN_STATUSES = ("printing", "waiting", "called", "held")


def office_date(now: datetime, tz: ZoneInfo | None = None) -> date:
    """The office day containing `now` (in the office zone `tz`, else `now`'s own zone)."""
    if now.tzinfo is None:
        raise ValueError("office_date needs an aware datetime")
    return (now.astimezone(tz) if tz else now).date()


def _insert(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def open_day(session: Session, now: datetime, tz: ZoneInfo | None = None) -> bool:
    """The daily reset: on the first queue write of an office day, close the days before.

    Returns True if this call did the reset. It happens once per office day, ever:
    the `queue_days` row for the date is inserted with ON CONFLICT DO NOTHING, and
    only the transaction whose insert took effect goes on to expire the earlier days'
    open tickets (status "expired", kept with their history). Numbers need no reset
    at all: they are counted per (service, office_date), so a new date starts a new
    sequence by itself.
    """
    today = office_date(now, tz)
    if session.get(QueueDay, today) is not None:
        return False
    inserted = session.execute(
        _insert(session)(QueueDay).values(office_date=today, opened_at=now, expired=0)
        .on_conflict_do_nothing(index_elements=["office_date"])
    ).rowcount
    if inserted != 1:
        return False
    stale = session.execute(
        select(Ticket.id, Ticket.status, Ticket.counter_id)
        .where(Ticket.office_date < today, Ticket.status.in_(OPEN_STATUSES))
    ).all()
    if stale:
        session.execute(
            update(Ticket).where(Ticket.id.in_([r.id for r in stale]))
            .values(status="expired", finished_at=now)
        )
        session.add_all(
            QueueEvent(ticket_id=r.id, kind="expired", counter_id=r.counter_id, at=now,
                       detail={"from": r.status, "office_date": today.isoformat()})
            for r in stale
        )
    session.execute(update(QueueDay).where(QueueDay.office_date == today)
                    .values(expired=len(stale)))
    return True


def _within_hours(service: QueueService, now: datetime, tz: ZoneInfo | None) -> bool:
    local = (now.astimezone(tz) if tz else now).strftime("%H:%M")
    if service.opens_at and local < service.opens_at:
        return False
    if service.closes_at and local >= service.closes_at:
        return False
    return True


def _issued_today(session: Session, service: QueueService, today: date) -> int:
    return session.scalar(
        select(func.count()).select_from(Ticket)
        .where(Ticket.service_id == service.id, Ticket.office_date == today,
               Ticket.status != "void")) or 0


def numbers_left(session: Session, service: QueueService, today: date) -> int:
    """How many more numbers the service can issue on `today`: the smaller of what its
    daily cap leaves and what its number range leaves (the range belongs to the series,
    so services sharing a prefix share it)."""
    last = session.scalar(select(QueueSequence.last_number).where(
        QueueSequence.series == service.prefix, QueueSequence.office_date == today))
    used_up_to = max(last if last is not None else service.range_start - 1,
                     service.range_start - 1)
    left = service.range_end - used_up_to
    if service.daily_cap is not None:
        left = min(left, service.daily_cap - _issued_today(session, service, today))
    return max(left, 0)


def running_low(service: QueueService, left: int) -> bool:
    """True when the kiosk and the staff should be warned: at most a tenth of the day's
    capacity (the cap, or the range when it is smaller) is left, and never fewer than 5
    numbers before the warning."""
    capacity = service.range_end - service.range_start + 1
    if service.daily_cap is not None:
        capacity = min(capacity, service.daily_cap)
    return left <= max(5, -(-capacity // 10))


def _next_number(session: Session, service: QueueService, today: date) -> int:
    """Take the next number of the service's series (its prefix) for today, atomically,
    in this transaction. Services sharing a prefix share the series, so no display is
    ever issued twice in a day."""
    series = service.prefix
    insert = _insert(session)(QueueSequence).values(
        series=series, office_date=today, last_number=service.range_start)
    number = session.execute(
        insert.on_conflict_do_update(
            index_elements=["series", "office_date"],
            set_={"last_number": QueueSequence.last_number + 1},
        ).returning(QueueSequence.last_number)
    ).scalar_one()
    if number < service.range_start:  # the range was moved up during the day
        number = service.range_start
        session.execute(
            update(QueueSequence)
            .where(QueueSequence.series == series, QueueSequence.office_date == today)
            .values(last_number=number))
    return number


def issue_ticket(session: Session, service_code: str, now: datetime, tz: ZoneInfo | None = None,
                 *, priority: str | None = None, awaiting_print: bool = False) -> Ticket:
    """Issue the next number of a service for today, inside the caller's write
    transaction. `priority` is a key of PRIORITY_GROUPS (validated by the caller).

    With `awaiting_print` the ticket starts as "printing", which no counter can call,
    until `mark_printed` (then "waiting") or `void_ticket` (the print failed).

    Refuses (signage.errors): an unknown service (NotFound), a paused one or outside
    ticketing hours ("closed"), the daily cap reached ("cap_reached"), or the number
    range used up ("range_exhausted": no number is ever reused).
    """
    service = get_service(session, service_code)
    if not service.active:
        raise InvalidState(N_("Dịch vụ %(name)s đang tạm ngừng cấp số."), code="closed",
                           name=service.name)
    open_day(session, now, tz)
    if not _within_hours(service, now, tz):
        raise InvalidState(N_("Ngoài giờ cấp số của dịch vụ %(name)s (%(opens)s–%(closes)s)."),
                           code="closed", name=service.name, opens=service.opens_at or "00:00",
                           closes=service.closes_at or "24:00")
    today = office_date(now, tz)
    if service.daily_cap is not None:
        if _issued_today(session, service, today) >= service.daily_cap:
            raise InvalidState(N_("Dịch vụ %(name)s đã hết số trong ngày hôm nay (%(cap)s phiếu). "
                                  "Xin mời quay lại ngày mai."), code="cap_reached",
                               name=service.name, cap=service.daily_cap)
    number = _next_number(session, service, today)
    if number > service.range_end:
        # Raising rolls the increment back with the transaction.
        raise InvalidState(N_("Dịch vụ %(name)s đã dùng hết dải số %(start)s–%(end)s hôm nay."),
                           code="range_exhausted", name=service.name, start=service.range_start,
                           end=service.range_end)
    ticket = Ticket(
        token=secrets.token_urlsafe(12),
        service=service,
        queue_service=service,
        office_date=today,
        number=number,
        display=f"{service.prefix}-{number}",
        priority=priority,
        status="printing" if awaiting_print else "waiting",
        issued_at=now,
        calls=0,
    )
    session.add(ticket)
    session.flush()
    session.add(QueueEvent(ticket_id=ticket.id, kind="issued", at=now,
                           detail={"priority": priority} if priority else {}))
    return ticket


def _printing(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(N_("Không có phiếu id %(id)s."), id=ticket_id)
    if ticket.status != "printing":
        raise InvalidState(N_("Phiếu %(display)s không chờ in."), code="wrong_state",
                           display=ticket.display)
    return ticket


def mark_printed(session: Session, ticket_id: int, now: datetime) -> Ticket:
    """The printer took the ticket: it joins the waiting line (keeping its issue time)."""
    ticket = _printing(session, ticket_id)
    ticket.status = "waiting"
    session.add(QueueEvent(ticket_id=ticket.id, kind="printed", at=now, detail={}))
    return ticket


def void_ticket(session: Session, ticket_id: int, now: datetime, reason: str) -> Ticket:
    """The print failed: the number leaves the queue for good, and stays in history."""
    ticket = _printing(session, ticket_id)
    ticket.status = "void"
    ticket.finished_at = now
    session.add(QueueEvent(ticket_id=ticket.id, kind="voided", at=now, detail={"reason": reason}))
    return ticket
