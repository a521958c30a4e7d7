"""The feedback box (phản ánh, kiến nghị): a citizen writes, staff answer.

    submit_feedback    anyone: the kiosk, the ticket's page on a phone, the QR in the
                       screens' footer, the API (the door limits how often per device)
    handle_feedback    move an item through mới → đang xử lý → đã trả lời and answer it
                       (admin, approver)

Rules and states: signage.evaluation.feedback. The contact a citizen leaves is shown
only to those who handle feedback.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid
from signage.evaluation import feedback
from signage.notices.schema import Line, Text
from signage.queueing.catalog import find_counter
from signage.usecases import Change
from signage.usecases.ratings import ticket_of_token
from signage.validation import Model, Output, parse

# Who reads the contact and answers: the office's leadership and admins.
HANDLERS = frozenset({"admin", "approver"})
Channel = Literal[feedback.CHANNELS]  # type: ignore[valid-type]
State = Literal[tuple(feedback.STATES)]  # type: ignore[valid-type]
STATE_RULE = N_("phải là new (mới), in_progress (đang xử lý) hoặc answered (đã trả lời).")


class FeedbackIn(Model):
    """What a citizen writes; the rest is optional."""

    text: Annotated[Text, Field(min_length=1, max_length=4000)] = Field(
        title=N_("Nội dung phản ánh, kiến nghị"))
    contact: Annotated[Line, Field(max_length=200)] | None = Field(
        None, title=N_("Thông tin liên hệ"),
        description="a phone number or an address, if the citizen wants an answer")
    token: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        None, title=N_("Mã phiếu"), description="the ticket's secret: links the ticket")
    counter: int | None = Field(None, title=N_("Số quầy"), ge=1, le=999)
    channel: Channel = Field("api", title=N_("Nơi gửi"),
                             description="kiosk, phone (the ticket's page), qr (the "
                                         "screens' footer) or api")

    @field_validator("contact", "token", mode="before")
    @classmethod
    def _none_when_blank(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


class FeedbackUpdate(Model):
    status: State = Field(None, title=N_("Trạng thái"), description=STATE_RULE)
    answer: Annotated[Text, Field(max_length=4000)] | None = Field(None, title=N_("Trả lời"))


class FeedbackReceived(Output):
    id: int
    status: Literal["new"]
    created_at: str = Field(json_schema_extra={"format": "date-time"})


class FeedbackOut(Output):
    id: int
    text: str
    contact: str | None = Field(description="only for admins and approvers; else null")
    channel: str
    ticket: int | None = Field(description="the ticket's id, when it was sent from its page")
    counter: int | None = Field(description="the counter's number, when known")
    status: Literal["new", "in_progress", "answered"]
    answer: str | None
    handled_by: str | None
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})
    answered_at: str | None = Field(json_schema_extra={"format": "date-time"})


def submit_feedback(change: Change, data: Any) -> dict[str, Any]:
    """Store a citizen's feedback as "new" (anyone). Returns its number."""
    spec = parse(FeedbackIn, data)
    ticket = ticket_of_token(change.session, spec.token) if spec.token else None
    counter = None
    if spec.counter is not None:
        counter = find_counter(change.session, spec.counter)
        if counter is None:
            message = N_("Không có quầy số %(number)s.")
            raise Invalid(message, code="unknown_counter", number=spec.counter,
                          fields=[FieldProblem("counter", message, {"number": spec.counter})])
    item = feedback.submit(change.session, text=spec.text, contact=spec.contact,
                           channel="phone" if ticket and spec.channel == "api" else spec.channel,
                           ticket=ticket, counter=counter, now=change.now)
    return {"id": item.id, "status": item.status, "created_at": item.created_at.isoformat()}


def handle_feedback(change: Change, feedback_id: int, data: Any) -> dict[str, Any]:
    """Change an item's state and/or answer it (admin, approver)."""
    change.require(HANDLERS)
    spec = parse(FeedbackUpdate, data)
    item = feedback.get(change.session, feedback_id)
    changed = feedback.handle(item, status=spec.status, answer=spec.answer,
                              actor=change.actor.name, now=change.now)
    if changed:
        change.audit("feedback.update", f"feedback:{item.id}", changed)
    return get_feedback(change.session, item.id)


# ---- reading ---------------------------------------------------------------------------------

def list_feedback(session: Session, *, status: str | None = None, start: Any = None,
                  end: Any = None, limit: int | None = 200, offset: int = 0,
                  with_contact: bool = False) -> dict[str, Any]:
    items, total = feedback.listing(session, status=status, start=start, end=end, limit=limit,
                                    offset=offset, with_contact=with_contact)
    return {"items": items, "total": total}


def get_feedback(session: Session, feedback_id: int, with_contact: bool = True
                 ) -> dict[str, Any]:
    return feedback.one(session, feedback_id, with_contact)


def feedback_counts(session: Session, start: Any = None, end: Any = None) -> dict[str, int]:
    return feedback.counts_by_state(session, start, end)
