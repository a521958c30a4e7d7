"""/api/v1/feedback: the feedback box. Anybody posts (limited per device: a registered
kiosk by its key, anybody else by address — SIGNAGE_FEEDBACK_LIMIT); staff read;
admins and approvers see the contact, move items through their states and answer."""

from __future__ import annotations

from typing import Literal

from flask import request
from pydantic import Field

from signage.errors import N_, TooMany
from signage.evaluation.export import FEEDBACK_COLUMNS
from signage.usecases import feedback as uc
from signage.usecases.kiosks import kiosk_for_key
from signage.usecases.reports import ExportQuery, period_of
from signage.validation import Output
from signage.web.api import (
    PUBLIC,
    STAFF,
    actor,
    blueprint,
    csv_response,
    lobby,
    operation,
    perform,
)
from signage.web.api import query as run_query  # `query` is the parsed query string

bp = blueprint("feedback")



class FeedbackQuery(ExportQuery):
    status: Literal["new", "in_progress", "answered"] | None = Field(
        None, description="only the items in this state")
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10_000_000)


class FeedbackList(Output):
    items: list[uc.FeedbackOut]
    total: int = Field(description="how many items match, in all")


def _device() -> str:
    kiosk = run_query(kiosk_for_key, request.headers.get("X-Kiosk-Key"))
    return f"kiosk:{kiosk['id']}" if kiosk else f"ip:{request.remote_addr or '?'}"


@operation(bp, "POST", "/feedback", roles=PUBLIC, body=uc.FeedbackIn,
           summary="Post to the feedback box (anonymous)", responses={201: uc.FeedbackReceived},
           errors=(429,))
def submit_feedback(body):
    """`text`, and optionally `contact` (to get an answer), `token` (the ticket's secret,
    from its page), `counter` (number) and `channel` (kiosk, phone, qr, api). A device
    posting too often gets 429 with Retry-After."""
    wait = lobby().limiter.wait("feedback", _device())
    if wait:
        raise TooMany(N_("Máy này vừa gửi nhiều góp ý. Xin vui lòng thử lại sau ít phút."),
                      code="rate_limited", retry_after=wait)
    return perform(uc.submit_feedback, body), 201


@operation(bp, "GET", "/feedback", roles=STAFF, query=FeedbackQuery, csv=True,
           summary="The feedback box, newest first (staff; JSON or CSV)",
           responses={200: FeedbackList})
def list_feedback(query: FeedbackQuery):
    """The contact is given to admins and approvers only. With `since`/`until`, the
    items received in those office days; `format=csv` for the export
    (docs/evaluation.md)."""
    start = end = None
    if query.since or query.until:
        clock = lobby().clock
        start, end = period_of(query, clock.now(), clock.tz).bounds(clock.tz)
    listed = run_query(uc.list_feedback, status=query.status, start=start, end=end,
                       limit=query.limit, offset=query.offset,
                       with_contact=actor().may(uc.HANDLERS))
    if query.format == "csv":
        return csv_response(listed["items"], "gop-y", FEEDBACK_COLUMNS)
    return listed


@operation(bp, "GET", "/feedback/<int:feedback_id>", roles=STAFF, summary="One item (staff)",
           responses={200: uc.FeedbackOut})
def get_feedback(feedback_id: int):
    return run_query(uc.get_feedback, feedback_id, actor().may(uc.HANDLERS))


@operation(bp, "PATCH", "/feedback/<int:feedback_id>", roles=uc.HANDLERS,
           body=uc.FeedbackUpdate, summary="Handle an item: its state, its answer",
           responses={200: uc.FeedbackOut})
def handle_feedback(feedback_id: int, body):
    """`{"status": "in_progress"}`; `{"answer": "…"}` answers it (status answered);
    "answered" without any answer is 422."""
    return perform(uc.handle_feedback, feedback_id, body)
