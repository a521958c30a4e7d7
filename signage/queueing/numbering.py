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
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
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


# Office days known to be opened (committed), per database engine: a day row is never
# deleted, so once seen it need not be read again by this process.
_opened_days: WeakKeyDictionary[Engine, set[date]] = WeakKeyDictionary()


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
    opened = _opened_days.setdefault(session.get_bind().engine, set())
    if today in opened:
        return False
    if session.scalar(_DAY_OPEN, {"day": today}) is not None:
        # Committed, and never deleted: this process need not look again today.
        opened.add(today)
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


_SERVICE = select(*(QueueService.__table__.c[name] for name in (
    "id", "code", "name", "prefix", "range_start", "range_end", "daily_cap", "opens_at",
    "closes_at", "active"))).where(QueueService.code == bindparam("code"))
_DAY_OPEN = select(literal(1)).where(QueueDay.office_date == bindparam("day"))


def _within_hours(service: Any, now: datetime, tz: ZoneInfo | None) -> bool:
    local = (now.astimezone(tz) if tz else now).strftime("%H:%M")
    if service.opens_at and local < service.opens_at:
        return False
    if service.closes_at and local >= service.closes_at:
        return False
    return True


# The statements of the hot path, built once: SQLAlchemy caches their compiled form, so
# a number costs the database's work and little Python (bench/tickets.py).
_SEQ = QueueSequence.__table__
_TICKETS = Ticket.__table__
_EVENTS = QueueEvent.__table__


def _next_number_upsert(dialect_insert):
    """INSERT … ON CONFLICT DO UPDATE … RETURNING: the series' next number for the day.

    The first ticket of a day inserts `range_start`; each later one adds one, or jumps
    to `range_start` when the range was moved up during the day (never backwards)."""
    stmt = dialect_insert(_SEQ).values(series=bindparam("series"), office_date=bindparam("day"),
                                       last_number=bindparam("start"))
    after = _SEQ.c.last_number + 1
    return stmt.on_conflict_do_update(
        index_elements=["series", "office_date"],
        set_={"last_number": case((after < stmt.excluded.last_number,
                                   stmt.excluded.last_number), else_=after)},
    ).returning(_SEQ.c.last_number)


_NEXT_NUMBER = {"sqlite": _next_number_upsert(sqlite_insert),
                "postgresql": _next_number_upsert(pg_insert)}


def _typed(name: str, column: str):
    return bindparam(name, type_=_TICKETS.c[column].type)


_TICKET_COLUMNS = dict(token=_typed("token", "token"), service_id=_typed("service_id", "service_id"),
                       queue_service_id=_typed("service_id", "queue_service_id"),
                       office_date=_typed("day", "office_date"),
                       priority=_typed("priority", "priority"), status=_typed("status", "status"),
                       issued_at=_typed("now", "issued_at"), calls=literal(0))
_INSERT_TICKET = insert(_TICKETS).values(number=bindparam("number"), display=bindparam("display"),
                                         **_TICKET_COLUMNS).returning(_TICKETS.c.id)
_INSERT_ISSUED = insert(_EVENTS).values(ticket_id=bindparam("ticket_id"), kind="issued",
                                        at=bindparam("now", type_=_EVENTS.c.at.type),
                                        detail=bindparam("detail", type_=_EVENTS.c.detail.type))


def _issue_in_one_statement():
    """PostgreSQL: the number, the ticket and its "issued" event in ONE statement.

    The upsert locks the series' row until commit, and every kiosk of that series waits
    for it; one round trip instead of three keeps that lock for the least time."""
    seq = _NEXT_NUMBER["postgresql"].cte("seq")
    number = seq.c.last_number
    ticket = (
        insert(_TICKETS)
        .from_select(["number", "display", *_TICKET_COLUMNS],
                     select(number, func.concat(_typed("prefix", "display"), "-", number),
                            *_TICKET_COLUMNS.values()))
        .returning(_TICKETS.c.id, _TICKETS.c.number)
        .cte("ticket")
    )
    event = (
        insert(_EVENTS)
        .from_select(["ticket_id", "kind", "at", "detail"],
                     select(ticket.c.id, literal("issued"),
                            bindparam("now", type_=_EVENTS.c.at.type),
                            bindparam("detail", type_=_EVENTS.c.detail.type)))
        .cte("issued")
    )
    return select(ticket.c.id, ticket.c.number).add_cte(event)


_ISSUE_PG = _issue_in_one_statement()


@dataclass(frozen=True)
class IssuedTicket:
    """A number just taken: what the kiosk is told (no need to read the row back)."""

    id: int
    token: str
    number: int
    display: str
    office_date: date
    status: str
    priority: str | None
    issued_at: datetime
    service_id: int
    service_code: str
    service_name: str
    numbers_left: int
    running_low: bool

    @property
    def queue_service_id(self) -> int:
        return self.service_id


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
    issued = _issued_today(session, service, today) if service.daily_cap is not None else 0
    return left_of(service, last, issued)


def left_of(service: Any, last: int | None, issued: int) -> int:
    """Numbers left, from the series' last number today (None: none yet) and the
    service's tickets issued today (used only with a daily cap)."""
    used_up_to = max(last if last is not None else service.range_start - 1,
                     service.range_start - 1)
    left = service.range_end - used_up_to
    if service.daily_cap is not None:
        left = min(left, service.daily_cap - issued)
    return max(left, 0)


def numbers_left_all(session: Session, services: list[QueueService], today: date
                     ) -> dict[int, int]:
    """`numbers_left` of many services in two reads (the queue's state lists them all)."""
    lasts = dict(session.execute(select(QueueSequence.series, QueueSequence.last_number)
                                 .where(QueueSequence.office_date == today)).all())
    capped = [s.id for s in services if s.daily_cap is not None]
    issued = dict(session.execute(
        select(Ticket.service_id, func.count()).where(
            Ticket.service_id.in_(capped), Ticket.office_date == today, Ticket.status != "void")
        .group_by(Ticket.service_id)).all()) if capped else {}
    return {s.id: left_of(s, lasts.get(s.prefix), issued.get(s.id, 0)) for s in services}


def running_low(service: QueueService, left: int) -> bool:
    """True when the kiosk and the staff should be warned: at most a tenth of the day's
    capacity (the cap, or the range when it is smaller) is left, and never fewer than 5
    numbers before the warning."""
    capacity = service.range_end - service.range_start + 1
    if service.daily_cap is not None:
        capacity = min(capacity, service.daily_cap)
    return left <= max(5, -(-capacity // 10))


def issue_ticket(session: Session, service_code: str, now: datetime, tz: ZoneInfo | None = None,
                 *, priority: str | None = None, awaiting_print: bool = False) -> IssuedTicket:
    """Issue the next number of a service for today, inside the caller's write
    transaction. `priority` is a key of PRIORITY_GROUPS (validated by the caller).

    With `awaiting_print` the ticket starts as "printing", which no counter can call,
    until `mark_printed` (then "waiting") or `void_ticket` (the print failed).

    Refuses (signage.errors): an unknown service (NotFound), a paused one or outside
    ticketing hours ("closed"), the daily cap reached ("cap_reached"), or the number
    range used up ("range_exhausted": no number is ever reused). A refusal after the
    number was taken rolls the increment back with the transaction.
    """
    service = session.execute(_SERVICE, {"code": service_code}).one_or_none()
    if service is None:
        get_service(session, service_code)  # raises the NotFound every door shows
    if not service.active:
        raise InvalidState(N_("Dịch vụ %(name)s đang tạm ngừng cấp số."), code="closed",
                           name=service.name)
    open_day(session, now, tz)
    if not _within_hours(service, now, tz):
        raise InvalidState(N_("Ngoài giờ cấp số của dịch vụ %(name)s (%(opens)s–%(closes)s)."),
                           code="closed", name=service.name, opens=service.opens_at or "00:00",
                           closes=service.closes_at or "24:00")
    today = office_date(now, tz)
    cap_left = None
    if service.daily_cap is not None:
        cap_left = service.daily_cap - _issued_today(session, service, today)
        if cap_left <= 0:
            raise InvalidState(N_("Dịch vụ %(name)s đã hết số trong ngày hôm nay (%(cap)s phiếu). "
                                  "Xin mời quay lại ngày mai."), code="cap_reached",
                               name=service.name, cap=service.daily_cap)
    status = "printing" if awaiting_print else "waiting"
    params = {"series": service.prefix, "day": today, "start": service.range_start,
              "token": secrets.token_urlsafe(12), "service_id": service.id,
              "priority": priority, "status": status, "now": now, "prefix": service.prefix,
              "detail": {"priority": priority} if priority else {}}
    if session.get_bind().dialect.name == "postgresql":
        ticket_id, number = session.execute(_ISSUE_PG, params).one()
    else:
        number = session.execute(_NEXT_NUMBER["sqlite"], params).scalar_one()
        params.update(number=number, display=f"{service.prefix}-{number}")
        ticket_id = session.execute(_INSERT_TICKET, params).scalar_one()
        session.execute(_INSERT_ISSUED, {**params, "ticket_id": ticket_id})
    if number > service.range_end:
        # Raising rolls the increment (and the row) back with the transaction.
        raise InvalidState(N_("Dịch vụ %(name)s đã dùng hết dải số %(start)s–%(end)s hôm nay."),
                           code="range_exhausted", name=service.name, start=service.range_start,
                           end=service.range_end)
    # What numbers_left would read now, known without reading: the series stands at
    # `number`, and this ticket took one of the cap's.
    issued_now = service.daily_cap - cap_left + 1 if cap_left is not None else 0
    left = left_of(service, number, issued_now)
    return IssuedTicket(ticket_id, params["token"], number, f"{service.prefix}-{number}", today,
                        status, priority, now, service.id, service.code, service.name,
                        left, running_low(service, left))


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
