"""Tickets: taking a number, the printer's outcome, and what an officer does at a counter.

    issue_ticket      take a number (anyone: the kiosk)
    mark_printed      the ESC/POS printer took it: it joins the line
    void_ticket       the print failed: the number leaves the line for good
    call_next, call_ticket, recall, skip, hold, complete, transfer   (operators)

These are the queue's hot path: each is one short write transaction (the store
serialises SQLite's writers; PostgreSQL locks rows), and the `queue.call` payload is
built inside it so the screens hear exactly what was committed; it is published
after commit (`QueueCalled`), with the coalesced refresh of panels and consoles
(`QueueChanged`). A ticket's own history is its `queue_events` rows (issued, called,
…, with the officer's name): that is their audit trail, so these write no
audit_entries row per citizen.

Printing happens between two of these (signage.queueing.printing, called by the
kiosk's door), never inside a transaction: a slow printer must not hold the queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.errors import N_, NotFound
from signage.evaluation.ratings import ask_json
from signage.evaluation.scales import rating_settings
from signage.events import CounterActed, QueueCalled, QueueChanged
from signage.queueing import calling, numbering, views, waits
from signage.queueing.announce import call_event
from signage.queueing.catalog import get_counter
from signage.queueing.numbering import PRIORITY_GROUPS
from signage.store.models_queue import Ticket
from signage.usecases import OPERATORS, Change
from signage.usecases.kiosks import registered_kiosk
from signage.usecases.queue import Code, CounterOut, ServiceOut, SpeechSettings, parse_input
from signage.validation import Model, Output

PriorityGroup = Literal[tuple(PRIORITY_GROUPS)]  # type: ignore[valid-type]


# ---- what the doors send ---------------------------------------------------------------

class TicketIn(Model):
    """A number for a service, in the priority lane when a group is given."""

    service: Code = Field(title=N_("Dịch vụ"),
                          description=N_("là mã một dịch vụ, ví dụ HOTICH."))
    priority: PriorityGroup | None = Field(
        None, title=N_("Nhóm ưu tiên"),
        description=N_("phải là mã một nhóm ưu tiên (nguoi-cao-tuoi, nguoi-khuyet-tat, "
                       "phu-nu-mang-thai, nuoi-con-nho, nguoi-co-cong, uu-tien) hoặc null."))
    print: bool = Field(True, title=N_("In phiếu"),
                        description=N_("false: không in trên máy in ESC/POS"))


class TicketRef(Model):
    """Optionally, the ticket acted on: it must be the counter's current one."""

    ticket_id: int | None = Field(None, title=N_("Phiếu"), ge=1, le=2**31 - 1)


class CallOne(Model):
    """The ticket to call: a held one, a late no-show, or one out of turn."""

    ticket_id: int = Field(title=N_("Phiếu"), ge=1, le=2**31 - 1)


class TransferIn(Model):
    """Where the current ticket goes: a service's queue, one counter, or both."""

    service: Code | None = Field(None, title=N_("Dịch vụ"),
                                 description=N_("là mã một dịch vụ, ví dụ HOTICH."))
    counter: int | None = Field(None, title=N_("Quầy"), ge=1, le=2**31 - 1,
                                description="the counter's id")
    counter_number: int | None = Field(None, title=N_("Số quầy"), ge=1, le=999)
    ticket_id: int | None = Field(None, title=N_("Phiếu"), ge=1, le=2**31 - 1)


# ---- what they get back -------------------------------------------------------------

Moment = Field(json_schema_extra={"format": "date-time"})
Status = Literal["printing", "waiting", "called", "held", "done", "skipped", "void", "expired"]


class TicketPublic(Output):
    id: int
    number: int
    display: str = Field(examples=["A-1005"])
    service: str = Field(description="the code of the service it was taken for")
    service_name: str
    queue_service: str = Field(description="the code of the queue it waits in now "
                                           "(another after a transfer)")
    queue_service_name: str
    priority: str | None = Field(description="the priority group's key; null: none")
    priority_label: str | None
    status: Status
    counter: int | None = Field(description="the number of the counter serving it")
    counter_name: str | None
    target_counter_id: int | None = Field(description="transferred to this counter only")
    office_date: str = Field(json_schema_extra={"format": "date"})
    issued_at: str = Moment
    called_at: str | None = Moment
    finished_at: str | None = Moment
    calls: int


class TicketOut(TicketPublic):
    counter_id: int | None


class IssuedTicket(TicketOut):
    token: str = Field(description="the ticket's secret, in its QR and status URL")
    status_url: str
    people_ahead: int
    average_service_s: int
    estimated_wait_s: int
    numbers_left: int = Field(description="numbers its service can still issue today")
    running_low: bool = Field(description=(
        "true when at most a tenth of the day's capacity (never fewer than 5) is left"))
    printed: Literal["escpos"] | None = Field(
        description="escpos: printed by the server's printer; null: the kiosk prints it")


class Serving(Output):
    ticket: str
    counter: int


class TicketStatus(TicketPublic):
    people_ahead: int
    average_service_s: int
    estimated_wait_s: int
    now_serving: list[Serving]


class CounterActionOut(TicketOut):
    """The ticket acted on (also under `ticket`), what was done, and the ticket that
    "call next" completed on the way."""

    ticket: TicketOut
    action: Literal["called", "recalled", "skipped", "held", "transferred", "completed"]
    finished: TicketOut | None


class LineTicket(Output):
    id: int
    display: str
    service: str
    priority: str | None
    issued_at: str = Moment
    target_counter_id: int | None
    counter_id: int | None
    calls: int


class SetAsideTicket(LineTicket):
    status: Status


class LastCall(Output):
    ticket: str
    counter: int
    counter_name: str
    at: str = Moment
    recall: bool


class ServiceWaiting(ServiceOut):
    waiting: int


class CounterNow(CounterOut):
    current: TicketOut | None


class QueueState(Output):
    """The day's queue: what the counter console and integrators read."""

    office_date: str = Field(json_schema_extra={"format": "date"})
    time: str = Moment
    services: list[ServiceWaiting]
    counters: list[CounterNow]
    waiting_total: int
    issued_today: int
    waiting: list[LineTicket] = Field(description="in the order they will be called")
    set_aside: list[SetAsideTicket] = Field(description="held and skipped tickets")
    last_calls: list[LastCall]
    speech: SpeechSettings
    priority_groups: dict[str, str]


# ---- taking a number ------------------------------------------------------------------

class UnknownKiosk(Exception):
    """`issue_ticket` was given a kiosk key that is unknown or revoked: nothing was
    written, and the door treats the request as anonymous (rate-limited) instead."""


def issue_ticket(change: Change, data: Any, *, printer: bool = False,
                 kiosk_key: str | None = None) -> dict[str, Any]:
    """Take the next number of a service (anyone). With a `printer` (and unless the
    body says "print": false) the ticket waits as "printing" for `mark_printed` or
    `void_ticket`. Returns the ticket with its token; the door adds `issued_estimate`
    (people ahead, estimated wait), read after commit.

    With `kiosk_key`, the number is taken only if that key is a registered kiosk's,
    checked in the same transaction (so a kiosk revoked a moment before gives no
    number on its key); else `UnknownKiosk` is raised and nothing is written."""
    spec = parse_input(TicketIn, data)
    if kiosk_key is not None and registered_kiosk(change.session, kiosk_key, change.now) is None:
        raise UnknownKiosk
    ticket = numbering.issue_ticket(change.session, spec.service, change.now, change.tz,
                                    priority=spec.priority,
                                    awaiting_print=printer and spec.print)
    change.emit(QueueChanged())
    return {**views.issued_json(ticket), "printed": None}


def issued_estimate(session: Session, issued: dict[str, Any], now: datetime) -> dict[str, Any]:
    """People ahead of a number just taken and the estimated wait: read after the
    number's commit, outside the write transaction every kiosk queues for."""
    return waits.estimate_issued(session, issued["id"], now)


def mark_printed(change: Change, ticket_id: int) -> dict[str, Any]:
    """The printer took the ticket: it joins the waiting line (keeping its issue time)."""
    ticket = numbering.mark_printed(change.session, ticket_id, change.now)
    change.emit(QueueChanged())
    return views.ticket_json(ticket)


def void_ticket(change: Change, ticket_id: int, reason: str) -> dict[str, Any]:
    """The print failed: the number leaves the queue for good, and stays in history."""
    ticket = numbering.void_ticket(change.session, ticket_id, change.now, reason)
    change.emit(QueueChanged())
    return views.ticket_json(ticket)


# ---- at the counter ---------------------------------------------------------------------

def _acted(change: Change, done: calling.CounterAction) -> dict[str, Any]:
    if done.kind in ("called", "recalled"):
        zones, call = call_event(change.session, done)
        change.emit(QueueCalled(zones, call))
    change.emit(QueueChanged())
    # The counter's tablet shows who is served now, and asks the citizen just served for
    # a rating (built here: the tablet hears it without another read).
    served = done.ticket if done.kind == "completed" else done.finished
    ask = None
    if served is not None and served.status == "done":
        ask = ask_json(served, rating_settings(change.session))
    serving = done.ticket.display if done.kind in ("called", "recalled") else None
    change.emit(CounterActed(done.counter.id, serving, ask))
    ticket = views.ticket_json(done.ticket)
    finished = views.ticket_json(done.finished) if done.finished else None
    # The ticket's fields at the top, and nested under "ticket" for clients reading it so.
    return {**ticket, "ticket": ticket, "action": done.kind, "finished": finished}


def _at_counter(change: Change, action: Any, counter_id: int, **kw: Any) -> dict[str, Any]:
    change.require(OPERATORS)
    done = action(change.session, counter_id, change.now, change.tz, actor=change.actor.name,
                  **kw)
    return _acted(change, done)


def call_next(change: Change, counter_id: int) -> dict[str, Any]:
    """Call the next waiting ticket this counter serves (the priority rule); the
    previous one is completed. NotFound "queue_empty" when nobody waits."""
    return _at_counter(change, calling.call_next, counter_id)


def call_ticket(change: Change, counter_id: int, data: Any) -> dict[str, Any]:
    """Call one given ticket: a held one back, a late no-show, or one out of turn."""
    spec = parse_input(CallOne, data)
    return _at_counter(change, calling.call_ticket, counter_id, ticket_id=spec.ticket_id)


def recall(change: Change, counter_id: int) -> dict[str, Any]:
    """Announce the counter's current ticket again (the citizen did not hear)."""
    return _at_counter(change, calling.recall, counter_id)


def skip(change: Change, counter_id: int, data: Any = None) -> dict[str, Any]:
    """The citizen did not come (no-show); the ticket can still be called by id later."""
    spec = parse_input(TicketRef, data or {})
    return _at_counter(change, calling.skip, counter_id, ticket_id=spec.ticket_id)


def hold(change: Change, counter_id: int, data: Any = None) -> dict[str, Any]:
    """Put the current ticket aside (the citizen fetches a paper); call it back by id."""
    spec = parse_input(TicketRef, data or {})
    return _at_counter(change, calling.hold, counter_id, ticket_id=spec.ticket_id)


def complete(change: Change, counter_id: int, data: Any = None) -> dict[str, Any]:
    """The citizen has been served."""
    spec = parse_input(TicketRef, data or {})
    return _at_counter(change, calling.complete, counter_id, ticket_id=spec.ticket_id)


def transfer(change: Change, counter_id: int, data: Any) -> dict[str, Any]:
    """Send the current ticket to another service's queue, or to one counter; it keeps
    its number and its place in time."""
    spec = parse_input(TransferIn, data)
    return _at_counter(change, calling.transfer, counter_id, service=spec.service,
                       counter=spec.counter, counter_number=spec.counter_number,
                       ticket_id=spec.ticket_id)


# ---- reading ----------------------------------------------------------------------------

def check_anyone_waiting(session: Session, counter_id: int, now: datetime, tz: ZoneInfo) -> None:
    """The cheap read before "call next" (no write lock): refuses at once, with the same
    error as `call_next`, when nobody waits, so an empty queue is not answered from
    behind every kiosk's write. The real choice is still `call_next`'s."""
    if not calling.anyone_waiting(session, counter_id, now, tz):
        raise calling.nobody_waiting(get_counter(session, counter_id))


def get_ticket(session: Session, ticket_id: int) -> dict[str, Any]:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(N_("Không có phiếu id %(id)s."), id=ticket_id)
    return views.ticket_json(ticket)


def ticket_status(session: Session, token: str, now: datetime) -> dict[str, Any]:
    """A citizen's own ticket, by the token in its QR: where they are, how long still."""
    return views.ticket_status(session, token, now)


def token_known(session: Session, token: str) -> bool:
    return bool(token) and session.scalar(
        select(Ticket.id).where(Ticket.token == token)) is not None


def queue_state(session: Session, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The day's queue (GET /api/v1/queue, the counter console)."""
    return views.queue_state(session, now, tz)
