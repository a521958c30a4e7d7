"""/api/v1/notices: read, write, review, history, preview (signage.usecases.notices).

An approver's or an admin's save is approved at once and on the screens within a
second; an editor's save is a new revision (draft, or review with ?submit=true) and
the live version stays on the screens meanwhile (see `pending`). The /admin notice
pages do everything through these same operations.
"""

from __future__ import annotations

from flask import url_for
from pydantic import Field

from signage.usecases import APPROVERS, EDITORS
from signage.usecases import notice_shapes as shapes
from signage.usecases import notices as uc
from signage.validation import Model
from signage.web.api import actor, blueprint, lobby, operation, perform
from signage.web.api import query as read
from signage.web.problems import translate

bp = blueprint("notices")

RULES = ("An approver's or admin's save is approved at once and on the screens within a "
         "second; an editor's save is a new revision (draft, or review with ?submit=true) "
         "and the live version stays on the screens; see `pending`.")


class SaveQuery(Model):
    model_config = {**Model.model_config, "strict": False}
    submit: bool = Field(False, description="an editor's save goes to review at once (else "
                                            "it is a draft)")


# ---- the notices ------------------------------------------------------------------

@operation(bp, "GET", "/notices", summary="List notices (`pending` without its record)",
           query=shapes.NoticeQuery, responses={200: shapes.NoticeList})
def list_notices(query: shapes.NoticeQuery):
    """Staff who do not edit (counter operators) see only approved notices."""
    return read(uc.list_notices, query, actor().may(EDITORS))


@operation(bp, "POST", "/notices", summary="Create a notice", description=RULES,
           roles=EDITORS, body=shapes.NoticeInput, query=SaveQuery,
           responses={201: shapes.Notice}, errors=(409,))
def create_notice(body, query: SaveQuery):
    notice = perform(uc.create_notice, body, query.submit)
    return notice, 201, {"Location": url_for("api_notices.get_notice", notice_id=notice["id"])}


@operation(bp, "GET", "/notices/<int:notice_id>",
           summary="One notice: the live record, `status`, `version`, `pending`",
           responses={200: shapes.Notice})
def get_notice(notice_id: int):
    """Staff who do not edit see only an approved notice, without what waits for approval."""
    return read(uc.get_notice, notice_id, actor().may(EDITORS))


@operation(bp, "PUT", "/notices/<int:notice_id>", summary="Replace a notice (takes what GET "
           "returns)", description=RULES + " `version` and `pending` as read by GET guard "
           "against overwriting a change made meanwhile (409 version_conflict).",
           roles=EDITORS, body=shapes.NoticeInput, query=SaveQuery,
           responses={200: shapes.Notice}, errors=(409,))
def put_notice(notice_id: int, body, query: SaveQuery):
    return perform(uc.update_notice, notice_id, body, query.submit)


@operation(bp, "DELETE", "/notices/<int:notice_id>",
           summary="Delete a notice (one on the screens: approver or admin)", roles=EDITORS,
           responses={204: None})
def delete_notice(notice_id: int):
    perform(uc.delete_notice, notice_id)
    return None, 204


# ---- review ----------------------------------------------------------------------------

@operation(bp, "POST", "/notices/<int:notice_id>/submit",
           summary="Send the pending draft (or a rejected revision, as a new one) for "
                   "approval", roles=EDITORS, body=shapes.RevisionRef, body_required=False,
           responses={200: shapes.Notice}, errors=(409,))
def submit_notice(notice_id: int, body):
    return perform(uc.submit_notice, notice_id, body)


@operation(bp, "POST", "/notices/<int:notice_id>/approve",
           summary="Approve the revision in review: it is on the screens at once "
                   "(approver, admin)", roles=APPROVERS, body=shapes.RevisionRef,
           body_required=False, responses={200: shapes.Notice}, errors=(409,))
def approve_notice(notice_id: int, body):
    """409 invalid_state when nothing is in review, not_pending when `revision` is not the
    pending one, conflict when its code is now another notice's."""
    return perform(uc.approve_notice, notice_id, body)


@operation(bp, "POST", "/notices/<int:notice_id>/reject",
           summary="Send the revision in review back with a reason (approver, admin); the "
                   "live version stays on the screens", roles=APPROVERS, body=shapes.Rejection,
           responses={200: shapes.Notice}, errors=(409,))
def reject_notice(notice_id: int, body):
    """422 reason_required without a reason."""
    return perform(uc.reject_notice, notice_id, body)


# ---- history ---------------------------------------------------------------------------

@operation(bp, "GET", "/notices/<int:notice_id>/revisions",
           summary="A notice's revisions, newest first; `live` is the number on the screens",
           roles=EDITORS, responses={200: shapes.RevisionList})
def list_revisions(notice_id: int):
    return read(uc.list_revisions, notice_id)


@operation(bp, "GET", "/notices/<int:notice_id>/revisions/<int:number>",
           summary="One revision with its whole record", roles=EDITORS,
           responses={200: shapes.Revision})
def get_revision(notice_id: int, number: int):
    return read(uc.get_revision, notice_id, number)


@operation(bp, "GET", "/notices/<int:notice_id>/diff",
           summary="What changed between two revisions, field by field", roles=EDITORS,
           query=shapes.DiffQuery, responses={200: shapes.NoticeDiff})
def diff_revisions(notice_id: int, query: shapes.DiffQuery):
    return read(uc.diff_revisions, notice_id, query.from_, query.to)


@operation(bp, "POST", "/notices/<int:notice_id>/revisions/<int:number>/restore",
           summary="A new revision with this one's record: by an editor it goes to review, by "
                   "an approver or admin it is live at once", roles=EDITORS,
           responses={200: shapes.Notice}, errors=(409,))
def restore_revision(notice_id: int, number: int):
    return perform(uc.restore_revision, notice_id, number)


# ---- live preview ----------------------------------------------------------------------

@operation(bp, "POST", "/notices/preview",
           summary="Validate a record as typed and render its slide; saves nothing",
           roles=EDITORS, body=shapes.NoticeInput, responses={200: shapes.Preview})
def preview_notice(body):
    """Takes what PUT takes (an `id` names the notice being edited, for the code check).
    Answers the problems by field, in the caller's language, and the slide HTML
    (templates/slides) drawn from what there is."""
    checked = read(uc.preview_notice, body, lobby().settings.data_dir)
    record = checked["record"]
    html = lobby().publisher.render_slide(
        {**record, "id": checked["own_id"] or 0, "version": 0, "status": "preview"})
    return {"valid": not checked["problems"],
            "problems": [p.as_json(translate) for p in checked["problems"]],
            "kind": record["kind"], "title": record.get("title", ""), "html": html,
            "office": checked["office"]}
