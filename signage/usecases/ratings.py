"""A citizen rates the service of one served ticket (NĐ 118/2025/NĐ-CP Điều 31–33).

    rate                       from the counter's tablet (its key) or the ticket's own
                               page on a phone (its token); anonymous
    update_rating_settings     the office's scale (3 levels or 5 stars) and the tablet's
                               timeout (admin)

The rules that make a rating evidence (one per served ticket, bound to where it comes
from, within a window) are signage.evaluation.ratings'. A rating writes no audit row
(it is itself the record, and anonymous); it reaches the counter's tablet (TicketRated).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Forbidden, Invalid, NotFound, SignageError
from signage.evaluation import ratings
from signage.evaluation.figures import Period
from signage.evaluation.scales import (
    REASONS,
    rating_settings,
    reasons_json,
    scale_json,
    store_rating_settings,
)
from signage.events import RatingSettingsChanged, TicketRated
from signage.notices.schema import Text
from signage.queueing.views import ticket_by_token
from signage.store.models_evaluation import Rating
from signage.usecases import ADMIN, Change
from signage.usecases.queue import changes, whole
from signage.validation import Model, Output, parse

ReasonCode = Literal[tuple(REASONS)]  # type: ignore[valid-type]
REASONS_RULE = N_("là mã các lý do: thoi-gian, so-lan-di-lai, thong-tin-niem-yet, thai-do, "
                  "chi-phi, tra-loi-phan-anh, truc-tuyen, khac.")


class RatingIn(Model):
    """A rating of a served ticket. From a phone, `token` (the ticket's secret, in its QR)
    names the ticket; from the counter's tablet, `ticket` (its id)."""

    ticket: int | None = Field(None, title=N_("Phiếu"), ge=1, le=2**31 - 1)
    token: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        None, title=N_("Mã phiếu"), description="the ticket's secret (its QR); the phone's way")
    score: int = Field(title=N_("Mức đánh giá"), ge=1, le=5,
                       description="1 … the scale's top (3 levels by default, or 5 stars)")
    reasons: list[ReasonCode] = Field(default_factory=list, title=N_("Lý do"), max_length=8,
                                      description=REASONS_RULE)
    comment: Annotated[Text, Field(max_length=1000)] | None = Field(None, title=N_("Ý kiến"))


class RatingOut(Output):
    id: int
    ticket: int = Field(description="the ticket's id")
    ticket_display: str = Field(examples=["A-1005"])
    office_date: str = Field(json_schema_extra={"format": "date"})
    service: str = Field(description="the code of the service it was served for")
    counter: int = Field(description="the number of the counter that served it")
    officer: str | None = Field(description="the officer on duty there when it was completed")
    officer_id: int | None
    scale: Literal[3, 5] = Field(description="3 levels (Rất hài lòng, Hài lòng, Không hài "
                                             "lòng) or 5 stars")
    score: int = Field(description="1 … scale; higher is better")
    satisfied: bool = Field(description="Hài lòng or better (4–5 stars)")
    reasons: list[str] = Field(description="codes, docs/evaluation.md")
    comment: str | None
    channel: Literal["tablet", "phone"]
    at: str = Field(json_schema_extra={"format": "date-time"})


class RatingSettingsIn(Model):
    scale: Literal[3, 5] = Field(None, title=N_("Thang đánh giá"),
                                 description=N_("phải là 3 (ba mức) hoặc 5 (năm sao)."))
    timeout_s: whole(10, 300) = Field(None, title=N_("Thời gian chờ (giây)"))


class RatingSettings(Output):
    scale: Literal[3, 5]
    timeout_s: int


def ticket_of_token(session: Session, token: str) -> Any:
    """The ticket whose secret this is; a token naming none is invalid input (422)."""
    try:
        return ticket_by_token(session, token)
    except NotFound:
        message = N_("Mã phiếu không đúng.")
        raise Invalid(message, code="unknown_ticket",
                      fields=[FieldProblem("token", message)]) from None


def rate(change: Change, data: Any, *, tablet: dict[str, Any] | None = None) -> dict[str, Any]:
    """Record a citizen's rating. `tablet` is the registered tablet the door recognised
    by its key (it may rate its counter's tickets); without one, the body's `token`
    must name the ticket (the citizen's own page)."""
    spec = parse(RatingIn, data)
    session = change.session
    if tablet is not None and spec.ticket is not None:
        channel, ticket_id, counter_id = "tablet", spec.ticket, tablet["counter_id"]
    elif spec.token is not None:
        ticket = ticket_of_token(session, spec.token)
        if spec.ticket is not None and spec.ticket != ticket.id:
            raise Forbidden(N_("Mã phiếu không khớp với phiếu được đánh giá."),
                            code="wrong_ticket")
        channel, ticket_id, counter_id = "phone", ticket.id, None
    else:
        raise Forbidden(N_("Xin đánh giá trên máy tính bảng tại quầy, hoặc trên trang phiếu "
                           "của quý vị (quét mã QR trên phiếu)."), code="not_a_rating_device")
    ticket = ratings.ratable_ticket(session, ticket_id, channel, change.now, counter_id)
    settings = rating_settings(session)
    rating = ratings.record_rating(session, ticket, scale=settings["scale"], score=spec.score,
                                   reasons=list(spec.reasons), comment=spec.comment,
                                   channel=channel, now=change.now)
    change.emit(TicketRated(ticket.counter_id, ticket.id))
    return ratings.rating_rows(session, Rating.id == rating.id)[0]


def update_rating_settings(change: Change, data: Any) -> dict[str, Any]:
    """Change the scale and/or the tablet's timeout (admin); every tablet redraws.
    Ratings already given keep their own scale."""
    change.require(ADMIN)
    spec = parse(RatingSettingsIn, data)
    before = rating_settings(change.session)
    after = store_rating_settings(change.session,
                                  spec.model_dump(include=spec.model_fields_set))
    changed = changes(before, after)
    if changed:
        change.audit("rating.settings", "rating:settings", changed)
        change.emit(RatingSettingsChanged())
    return after


# ---- reading --------------------------------------------------------------------------------

def list_ratings(session: Session, period: Period, tz: Any) -> list[dict[str, Any]]:
    """Every rating given in the period, oldest first."""
    start, end = period.bounds(tz)
    return ratings.ratings_between(session, start, end)


def get_rating_settings(session: Session) -> dict[str, Any]:
    return rating_settings(session)


def phone_may_rate(session: Session, token: str, now: datetime) -> dict[str, Any]:
    """For the ticket's page: may this ticket be rated from the phone now (and if not,
    the refusal's code: not_served, already_rated, rating_closed)?"""
    ticket = ticket_by_token(session, token)
    try:
        ratings.ratable_ticket(session, ticket.id, "phone", now)
    except SignageError as exc:
        return {"ratable": False, "why": exc.code}
    return {"ratable": True, "why": None}


def rating_form(session: Session) -> dict[str, Any]:
    """What a rating form offers: the office's scale's levels and the reasons."""
    scale = rating_settings(session)["scale"]
    return {"scale": scale, "levels": scale_json(scale), "reasons": reasons_json()}
