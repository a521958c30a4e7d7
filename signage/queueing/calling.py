"""What an officer does at a counter: call next, call one, recall, skip, hold,
transfer, complete. Each function runs inside the caller's `store.write()`.

A ticket is called by a conditional UPDATE … WHERE status = 'waiting' whose row
count is checked, in the same write transaction that chose it (BEGIN IMMEDIATE on
SQLite; SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL): two counters pressing
"next" at the same instant never get the same ticket.

The priority rule (docs/queue.md): among the tickets a counter may serve, one
transferred to this very counter comes first, then the priority lane, then
everybody else, each in the order the numbers were taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from signage.errors import N_, Conflict, Invalid, InvalidState, Msg, NotFound
from signage.queueing.catalog import counter_by_number, get_counter, get_service
from signage.queueing.numbering import office_date, open_day
from signage.store.models_queue import QueueCounter, QueueEvent, Ticket

CLAIM_ATTEMPTS = 5

# A ticket's state as an officer reads it in a refusal.
STATUS_WORDS = {
    "printing": N_("đang in"),
    "waiting": N_("đang chờ"),
    "called": N_("đang được phục vụ"),
    "held": N_("tạm để riêng"),
    "skipped": N_("vắng mặt"),
    "done": N_("đã xong"),
    "void": N_("đã hủy"),
    "expired": N_("hết hạn"),
}


@dataclass
class CounterAction:
    """What happened at a counter: the ticket acted on, and one finished on the way."""

    counter: QueueCounter
    ticket: Ticket
    kind: str                      # called | recalled | skipped | held | transferred | completed
    finished: Ticket | None = None  # the previous ticket, completed by "call next"


def _event(session: Session, ticket: Ticket, kind: str, counter: QueueCounter | None,
           now: datetime, actor: str | None, **detail: object) -> None:
    session.add(QueueEvent(ticket_id=ticket.id, kind=kind,
                           counter_id=counter.id if counter else None,
                           actor=actor, at=now, detail=detail))


def _open_counter(session: Session, counter_id: int) -> QueueCounter:
    counter = get_counter(session, counter_id)
    if not counter.active:
        raise InvalidState(N_("%(name)s đang tạm ngừng hoạt động."), code="wrong_state",
                           name=counter.name)
    return counter


def waiting_order(counter_id: int | None = None) -> list:
    """ORDER BY of the waiting line (the priority rule), optionally as seen by a counter."""
    order = []
    if counter_id is not None:
        order.append(case((Ticket.target_counter_id == counter_id, 0), else_=1))
    order += [case((Ticket.priority.is_(None), 1), else_=0), Ticket.issued_at, Ticket.id]
    return order


def current_ticket(session: Session, counter: QueueCounter, now: datetime,
                   tz: ZoneInfo | None = None) -> Ticket | None:
    """The ticket being served at this counter now (status "called"), if any."""
    return session.scalar(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status == "called",
                             Ticket.office_date == office_date(now, tz))
        .order_by(Ticket.called_at.desc()).limit(1))


def _finish_current(session: Session, counter: QueueCounter, now: datetime,
                    tz: ZoneInfo | None, actor: str | None, keep: int) -> Ticket | None:
    # An officer who calls the next citizen is done with the one before.
    finished = None
    for current in session.scalars(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status == "called",
                             Ticket.office_date == office_date(now, tz), Ticket.id != keep)
    ):
        current.status = "done"
        current.finished_at = now
        _event(session, current, "completed", counter, now, actor, implicit=True)
        finished = current
    return finished


def nobody_waiting(counter: QueueCounter) -> NotFound:
    """The refusal of "call next" on an empty queue (the same from the cheap read)."""
    return NotFound(N_("Không còn công dân nào đang chờ ở %(name)s."), code="queue_empty",
                    name=counter.name, extra={"counter": counter.number})


def anyone_waiting(session: Session, counter_id: int, now: datetime,
                   tz: ZoneInfo | None = None) -> bool:
    """A cheap read (no write lock): is there any ticket this counter could call now?

    Lets "call next" on an empty queue answer without queueing for the write lock
    behind every kiosk; the real choice is still made by `call_next`.
    """
    counter = get_counter(session, counter_id)
    service_ids = [s.id for s in counter.services]
    if not service_ids:
        return False
    return session.scalar(
        select(Ticket.id).where(
            Ticket.office_date == office_date(now, tz), Ticket.status == "waiting",
            Ticket.queue_service_id.in_(service_ids),
            (Ticket.target_counter_id.is_(None)) | (Ticket.target_counter_id == counter.id))
        .limit(1)) is not None


def call_next(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None = None,
              *, actor: str | None = None) -> CounterAction:
    """Call the next waiting ticket this counter serves; the previous one is completed.

    Refuses with NotFound("queue_empty") when nobody waits, and then changes nothing.
    """
    counter = _open_counter(session, counter_id)
    open_day(session, now, tz)
    service_ids = [s.id for s in counter.services]
    if not service_ids:
        raise NotFound(N_("%(name)s chưa được gán dịch vụ nào."), code="queue_empty",
                       name=counter.name)
    today = office_date(now, tz)
    postgres = session.get_bind().dialect.name == "postgresql"
    for _attempt in range(CLAIM_ATTEMPTS):
        query = (
            select(Ticket.id)
            .where(Ticket.office_date == today, Ticket.status == "waiting",
                   Ticket.queue_service_id.in_(service_ids),
                   (Ticket.target_counter_id.is_(None)) | (Ticket.target_counter_id == counter.id))
            .order_by(*waiting_order(counter.id)).limit(1)
        )
        if postgres:
            # Another counter's transaction holding a row skips it instead of waiting.
            query = query.with_for_update(skip_locked=True, of=Ticket)
        ticket_id = session.scalar(query)
        if ticket_id is None:
            raise nobody_waiting(counter)
        claimed = session.execute(
            update(Ticket).where(Ticket.id == ticket_id, Ticket.status == "waiting")
            .values(status="called", counter_id=counter.id, called_at=now,
                    calls=Ticket.calls + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed == 1:
            break
    else:
        raise Conflict(N_("Nhiều quầy cùng gọi một lúc; xin bấm gọi lại."))
    finished = _finish_current(session, counter, now, tz, actor, keep=ticket_id)
    ticket = session.get(Ticket, ticket_id, populate_existing=True)
    assert ticket is not None
    _event(session, ticket, "called", counter, now, actor)
    return CounterAction(counter, ticket, "called", finished)


def _ticket_today(session: Session, ticket_id: int, now: datetime, tz: ZoneInfo | None) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.office_date != office_date(now, tz):
        raise NotFound(N_("Không có phiếu id %(id)s trong ngày hôm nay."), id=ticket_id)
    return ticket


def call_ticket(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None = None,
                *, ticket_id: int, actor: str | None = None) -> CounterAction:
    """Call one given ticket: a held one back, a late no-show, or one out of turn."""
    counter = _open_counter(session, counter_id)
    open_day(session, now, tz)
    ticket = _ticket_today(session, ticket_id, now, tz)
    if ticket.status not in ("waiting", "held", "skipped"):
        raise InvalidState(N_("Phiếu %(display)s %(status)s, không gọi được."),
                           code="wrong_state", display=ticket.display,
                           status=Msg(STATUS_WORDS.get(ticket.status, ticket.status)))
    before = ticket.status
    claimed = session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status == before)
        .values(status="called", counter_id=counter.id, called_at=now, finished_at=None,
                calls=Ticket.calls + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict(N_("Phiếu %(display)s vừa được quầy khác gọi."), display=ticket.display)
    finished = _finish_current(session, counter, now, tz, actor, keep=ticket.id)
    session.refresh(ticket)
    _event(session, ticket, "called", counter, now, actor, **{"from": before})
    return CounterAction(counter, ticket, "called", finished)


def _current_or_fail(session: Session, counter: QueueCounter, now: datetime,
                     tz: ZoneInfo | None, ticket_id: int | None) -> Ticket:
    ticket = current_ticket(session, counter, now, tz)
    if ticket is None:
        raise InvalidState(N_("%(name)s không có phiếu nào đang phục vụ."),
                           code="no_current_ticket", name=counter.name)
    if ticket_id is not None and ticket.id != ticket_id:
        raise InvalidState(N_("Phiếu đang phục vụ ở %(name)s là %(display)s, không phải "
                              "phiếu id %(id)s."), code="wrong_state", name=counter.name,
                           display=ticket.display, id=ticket_id)
    return ticket


def recall(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None = None,
           *, actor: str | None = None) -> CounterAction:
    """Announce the counter's current ticket again (the citizen did not hear)."""
    counter = _open_counter(session, counter_id)
    ticket = _current_or_fail(session, counter, now, tz, None)
    ticket.calls += 1
    _event(session, ticket, "recalled", counter, now, actor, call=ticket.calls)
    return CounterAction(counter, ticket, "recalled")


def _finish(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None,
            actor: str | None, ticket_id: int | None, status: str, kind: str) -> CounterAction:
    counter = _open_counter(session, counter_id)
    ticket = _current_or_fail(session, counter, now, tz, ticket_id)
    ticket.status = status
    if status != "held":
        ticket.finished_at = now
    _event(session, ticket, kind, counter, now, actor)
    return CounterAction(counter, ticket, kind)


def skip(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None = None,
         *, actor: str | None = None, ticket_id: int | None = None) -> CounterAction:
    """The citizen did not come (no-show); the ticket can still be called by id later."""
    return _finish(session, counter_id, now, tz, actor, ticket_id, "skipped", "skipped")


def hold(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None = None,
         *, actor: str | None = None, ticket_id: int | None = None) -> CounterAction:
    """Put the current ticket aside (the citizen fetches a paper); call it back by id."""
    return _finish(session, counter_id, now, tz, actor, ticket_id, "held", "held")


def complete(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None = None,
             *, actor: str | None = None, ticket_id: int | None = None) -> CounterAction:
    """The citizen has been served."""
    return _finish(session, counter_id, now, tz, actor, ticket_id, "done", "completed")


def transfer(session: Session, counter_id: int, now: datetime, tz: ZoneInfo | None = None, *,
             service: str | None = None, counter: int | None = None,
             counter_number: int | None = None, actor: str | None = None,
             ticket_id: int | None = None) -> CounterAction:
    """Send the current ticket to another service's queue, or to one counter.

    The ticket keeps its number and its place in time (issued_at), so it is served
    before citizens who came after it.
    """
    here = _open_counter(session, counter_id)
    ticket = _current_or_fail(session, here, now, tz, ticket_id)
    if service is None and counter is None and counter_number is None:
        raise Invalid(N_("Cần chọn dịch vụ (service) hoặc quầy (counter) để chuyển."),
                      code="invalid")
    target_counter = None
    if counter is not None:
        target_counter = get_counter(session, counter)
    elif counter_number is not None:
        target_counter = counter_by_number(session, counter_number)
    if target_counter is not None and target_counter.id == here.id:
        raise Invalid(N_("Không thể chuyển phiếu về chính quầy này."), code="invalid")
    if service is not None:
        target_service = get_service(session, service)
    elif target_counter is not None:
        served = target_counter.services
        if not served:
            raise Invalid(N_("%(name)s chưa được gán dịch vụ nào."), code="invalid",
                          name=target_counter.name)
        target_service = next((s for s in served if s.id == ticket.queue_service_id), served[0])
    if target_counter is not None and target_service not in target_counter.services:
        raise Invalid(N_("%(counter)s không phục vụ dịch vụ %(service)s."), code="invalid",
                      counter=target_counter.name, service=target_service.name)
    before = ticket.queue_service.code
    ticket.status = "waiting"
    ticket.queue_service = target_service
    ticket.target_counter_id = target_counter.id if target_counter else None
    ticket.counter_id = None
    _event(session, ticket, "transferred", here, now, actor, **{
        "from_service": before, "to_service": target_service.code,
        "to_counter": target_counter.number if target_counter else None})
    return CounterAction(here, ticket, "transferred")
