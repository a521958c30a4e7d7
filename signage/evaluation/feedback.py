"""The feedback box (hộp thư góp ý; phản ánh, kiến nghị — NĐ 118 Điều 16, 31): a citizen
writes from the kiosk, the ticket's page on a phone, or the QR in the screens' footer;
staff handle it through three states and answer.

    new ──► in_progress ──► answered
      └───────────────────────┘      (an answer may come at once; reopening goes back
                                       to in_progress)

What a citizen wrote is never shown on a screen by itself: only an admin could copy it
into a notice. The contact is optional and seen only by those who handle feedback.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid, NotFound
from signage.store.models_evaluation import Feedback
from signage.store.models_queue import QueueCounter, Ticket

STATES: dict[str, str] = {"new": N_("Mới"), "in_progress": N_("Đang xử lý"),
                          "answered": N_("Đã trả lời")}
CHANNELS = ("kiosk", "phone", "qr", "api")


def submit(session: Session, *, text: str, contact: str | None, channel: str,
           ticket: Ticket | None, counter: QueueCounter | None, now: datetime) -> Feedback:
    item = Feedback(text=text, contact=contact or None, channel=channel,
                    ticket_id=ticket.id if ticket else None,
                    counter_id=counter.id if counter else (ticket.counter_id if ticket else None),
                    status="new", created_at=now, updated_at=now)
    session.add(item)
    session.flush()
    return item


def get(session: Session, feedback_id: int) -> Feedback:
    item = session.get(Feedback, feedback_id)
    if item is None:
        raise NotFound(N_("Không có góp ý số %(id)s."), id=feedback_id)
    return item


def handle(item: Feedback, *, status: str | None, answer: str | None, actor: str,
           now: datetime) -> dict[str, str]:
    """Move an item to `status` and/or record the `answer`; what changed. An answer
    without a status answers it; "answered" needs an answer, given now or before."""
    before = {"status": item.status, "answer": item.answer or ""}
    if answer is not None:
        item.answer = answer or None
        if status is None and answer:
            status = "answered"
    if status is not None:
        if status == "answered" and not item.answer:
            message = N_("Cần nhập câu trả lời trước khi chuyển sang “Đã trả lời”.")
            raise Invalid(message, fields=[FieldProblem("answer", message)])
        item.status = status
    after = {"status": item.status, "answer": item.answer or ""}
    changed = {k: f"{before[k] or '—'} → {after[k] or '—'}" for k in after if before[k] != after[k]}
    if changed:
        item.handled_by = actor
        item.updated_at = now
        if item.status == "answered" and before["status"] != "answered":
            item.answered_at = now
    return changed


def feedback_json(item: Feedback, with_contact: bool = True) -> dict[str, Any]:
    """An item as staff read it (the contact only for those who handle feedback)."""
    return {
        "id": item.id,
        "text": item.text,
        "contact": item.contact if with_contact else None,
        "channel": item.channel,
        "ticket": item.ticket_id,
        "counter": None,  # its number, filled in by _rows
        "status": item.status,
        "answer": item.answer,
        "handled_by": item.handled_by,
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "answered_at": item.answered_at.isoformat() if item.answered_at else None,
    }


def _rows(session: Session, where: list[Any], with_contact: bool, limit: int | None = None,
          offset: int = 0) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Feedback, QueueCounter.number)
        .outerjoin(QueueCounter, QueueCounter.id == Feedback.counter_id)
        .where(*where).order_by(Feedback.created_at.desc(), Feedback.id.desc())
        .limit(limit).offset(offset)).all()
    return [{**feedback_json(item, with_contact), "counter": number} for item, number in rows]


def one(session: Session, feedback_id: int, with_contact: bool = True) -> dict[str, Any]:
    """One item as staff read it (NotFound if there is none)."""
    rows = _rows(session, [Feedback.id == feedback_id], with_contact)
    if not rows:
        raise NotFound(N_("Không có góp ý số %(id)s."), id=feedback_id)
    return rows[0]


def listing(session: Session, *, status: str | None = None, start: datetime | None = None,
            end: datetime | None = None, limit: int | None = 200, offset: int = 0,
            with_contact: bool = True) -> tuple[list[dict[str, Any]], int]:
    """Items newest first (filtered), and how many match in all."""
    where: list[Any] = []
    if status:
        where.append(Feedback.status == status)
    if start is not None:
        where.append(Feedback.created_at >= start)
    if end is not None:
        where.append(Feedback.created_at < end)
    total = session.scalar(select(func.count()).select_from(Feedback).where(*where)) or 0
    return _rows(session, where, with_contact, limit, offset), total


def counts_by_state(session: Session, start: datetime | None = None,
                    end: datetime | None = None) -> dict[str, int]:
    """State → how many items (created in [start, end) when given); every state listed."""
    query = select(Feedback.status, func.count()).group_by(Feedback.status)
    if start is not None:
        query = query.where(Feedback.created_at >= start)
    if end is not None:
        query = query.where(Feedback.created_at < end)
    counts = dict.fromkeys(STATES, 0)
    counts.update({status: n for status, n in session.execute(query)})
    return counts
