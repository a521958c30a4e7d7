"""A citizen's rating of one served ticket: the rules that make it evidence.

- Only a ticket that was served to the end at a counter (status "done") is rated: a
  number never called, skipped, held or voided has nothing to judge.
- One rating per ticket (the `ratings.ticket_id` unique key holds it under races).
- A rating is bound to where it comes from, so nobody rates tickets in bulk by their
  (sequential) ids: the counter's own tablet, within minutes of the completion (the
  tablet asks at once and idles back after 30 s); or the citizen's phone, by the secret
  token of the ticket's QR, within a few days ("online", NĐ 118 Điều 32).
- It is anonymous: it stores the ticket, the counter, the service and the officer on
  duty when the ticket was completed — nothing about the citizen.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.errors import N_, Conflict, FieldProblem, Invalid, InvalidState
from signage.evaluation.duty import officer_at
from signage.evaluation.scales import SCALES, asks_reasons, satisfied
from signage.store.models_evaluation import Officer, Rating
from signage.store.models_queue import QueueCounter, QueueService, Ticket

# How long after its completion a ticket may still be rated, by channel.
WINDOWS = {"tablet": timedelta(minutes=10), "phone": timedelta(days=3)}
CHANNELS = ("tablet", "phone")


def _unknown_ticket(ticket_id: int) -> Invalid:
    message = N_("Không có phiếu id %(id)s.")
    return Invalid(message, code="unknown_ticket", id=ticket_id,
                   fields=[FieldProblem("ticket", message, {"id": ticket_id})])


def ratable_ticket(session: Session, ticket_id: int, channel: str, now: datetime,
                   counter_id: int | None = None) -> Ticket:
    """The ticket, if it may be rated now through `channel` (from the tablet of
    `counter_id`); else the refusal that says why."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise _unknown_ticket(ticket_id)
    if ticket.status != "done" or ticket.counter_id is None or ticket.finished_at is None:
        raise InvalidState(N_("Phiếu %(display)s chưa được phục vụ xong tại quầy nên chưa "
                              "đánh giá được."), code="not_served", display=ticket.display)
    if counter_id is not None and ticket.counter_id != counter_id:
        raise InvalidState(N_("Phiếu %(display)s được phục vụ ở quầy khác; xin đánh giá ở "
                              "quầy đó."), code="other_counter", display=ticket.display)
    if session.scalar(select(Rating.id).where(Rating.ticket_id == ticket.id)) is not None:
        raise Conflict(N_("Phiếu %(display)s đã được đánh giá. Cảm ơn quý vị!"),
                       code="already_rated", display=ticket.display)
    if now - ticket.finished_at > WINDOWS[channel]:
        raise InvalidState(N_("Đã hết thời gian đánh giá phiếu %(display)s."),
                           code="rating_closed", display=ticket.display)
    return ticket


def record_rating(session: Session, ticket: Ticket, *, scale: int, score: int,
                  reasons: list[str], comment: str | None, channel: str,
                  now: datetime) -> Rating:
    """Store the rating of a ticket `ratable_ticket` let through. Reasons and comment
    are kept only from a citizen who is not satisfied (they are what was asked)."""
    if score not in SCALES[scale]:
        message = N_("phải là một mức của thang đánh giá (1 đến %(top)s).")
        raise Invalid(code="validation_failed", fields=[
            FieldProblem("score", message, {"top": scale}, (N_("Mức đánh giá"),))])
    unhappy = asks_reasons(scale, score)
    officer = officer_at(session, ticket.counter_id, ticket.finished_at)
    rating = Rating(ticket_id=ticket.id, counter_id=ticket.counter_id,
                    officer_id=officer.id if officer else None,
                    service_id=ticket.queue_service_id, scale=scale, score=score,
                    reasons=list(dict.fromkeys(reasons)) if unhappy else [],
                    comment=(comment or None) if unhappy else None, channel=channel, at=now)
    session.add(rating)
    session.flush()
    return rating


def rating_rows(session: Session, *where: Any) -> list[dict[str, Any]]:
    """Ratings as the API and the exports give them (stable field names,
    docs/evaluation.md), oldest first, filtered by `where`."""
    rows = session.execute(
        select(Rating, Ticket.display, Ticket.office_date, QueueService.code,
               QueueCounter.number, Officer.name)
        .join(Ticket, Ticket.id == Rating.ticket_id)
        .join(QueueService, QueueService.id == Rating.service_id)
        .join(QueueCounter, QueueCounter.id == Rating.counter_id)
        .outerjoin(Officer, Officer.id == Rating.officer_id)
        .where(*where).order_by(Rating.at, Rating.id))
    return [{
        "id": rating.id,
        "ticket": rating.ticket_id,
        "ticket_display": display,
        "office_date": office_date.isoformat(),
        "service": service,
        "counter": counter,
        "officer": officer,
        "officer_id": rating.officer_id,
        "scale": rating.scale,
        "score": rating.score,
        "satisfied": satisfied(rating.scale, rating.score),
        "reasons": list(rating.reasons or []),
        "comment": rating.comment,
        "channel": rating.channel,
        "at": rating.at.isoformat(),
    } for rating, display, office_date, service, counter, officer in rows]


def ratings_between(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    return rating_rows(session, Rating.at >= start, Rating.at < end)


def pending_at(session: Session, counter_id: int, now: datetime,
               within: timedelta) -> Ticket | None:
    """The ticket a counter's tablet should ask about now: the last one completed there
    within `within`, unless rated already."""
    ticket = session.scalar(
        select(Ticket).where(Ticket.counter_id == counter_id, Ticket.status == "done",
                             Ticket.finished_at >= now - within)
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(1))
    if ticket is None:
        return None
    rated = session.scalar(select(Rating.id).where(Rating.ticket_id == ticket.id))
    return None if rated is not None else ticket


def ask_json(ticket: Ticket, settings: dict[str, Any]) -> dict[str, Any]:
    """What a counter's tablet asks about: the ticket just served there, and until when
    (its completion plus the office's timeout)."""
    until = ticket.finished_at + timedelta(seconds=settings["timeout_s"])
    return {"ticket": ticket.id, "display": ticket.display,
            "service_name": ticket.queue_service.name,
            "finished_at": ticket.finished_at.isoformat(), "until": until.isoformat()}
