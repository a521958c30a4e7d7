"""Notices and their workflow: create, update, submit, approve, reject, restore, delete.

Each change is one function here, whichever door it comes by (the API, the /admin
pages through the API, `content import`). The approval rules are the domain's
(signage.notices.workflow: an editor's save waits for approval, an approver's or an
admin's is live at once); this module checks who acts, validates the input with the
models the OpenAPI document shows, writes the audit entries and records what the
screens must hear:

    a notice's first live version  -> PlaylistChanged (the zones that hold it)
    a new live record               -> NoticeChanged
    zones added to a live notice    -> PlaylistChanged (those zones)
    a deletion                      -> PlaylistChanged (the zones that held it)

The shapes of its input and output are signage.usecases.notice_shapes. Audit entries
(the same from every door): `notice.create` / `notice.update` (every save, with the
revision number and status), `notice.submit`, `notice.approve`, `notice.reject` (with
the reason), `notice.publish` (whenever the live record changes, with the version),
`notice.restore` (from → new revision), `notice.delete` (with the title).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from signage.errors import N_, Conflict, FieldProblem, Forbidden, NotFound, invalid
from signage.events import NoticeChanged, PlaylistChanged
from signage.notices import workflow
from signage.notices.preview import preview_record
from signage.notices.schema import Procedure, Record, model_for, parse_notice, record_json
from signage.playlists import service as playlists
from signage.store import models
from signage.usecases import ADMIN, APPROVERS, EDITORS, Change
from signage.usecases.images import check_image, image_problem
from signage.usecases.notice_shapes import (
    IN_MODELS,
    LawMessageIn,
    NoticeQuery,
    ProcedureIn,
    Rejection,
    ResultsSlideIn,
    RevisionRef,
    Saving,
)
from signage.usecases.zones import zone_named
from signage.validation import parse

# ---- saving ---------------------------------------------------------------------------------

def parse_save(data: Any, kind: str | None = None) -> ProcedureIn | LawMessageIn | ResultsSlideIn:
    """A record to save with what comes along with it (`kind`: the notice's, when the data
    leaves it out)."""
    model = model_for(data, kind, IN_MODELS)
    return parse(model, data if "kind" in data else {**data, "kind": kind})


def _add_to_zones(change: Change, notice: models.Notice, zones: list[str] | None) -> list[str]:
    """Append the notice to these zones' playlists (where it is not yet); the new slugs."""
    if not zones:
        return []
    held = set(workflow.zones_of(change.session, notice.id))
    added = []
    for slug in dict.fromkeys(zones):
        zone = zone_named(change.session, slug, field="zones")
        if slug in held:
            continue
        playlists.append_slide(change.session, zone, notice)
        held.add(slug)
        added.append(slug)
    return added


def _recorded(change: Change, outcome: workflow.Outcome, zones_added: list[str]) -> dict[str, Any]:
    """Audit and events of a save (shared by create, update and restore); the notice."""
    notice, revision = outcome.notice, outcome.revision
    target = f"notice:{notice.id}"
    details: dict[str, Any] = {"revision": revision.number, "status": revision.status}
    if outcome.created:
        change.audit("notice.create", target,
                     {"title": notice.title, "zones": zones_added, **details})
    else:
        change.audit("notice.update", target, {"version": notice.version, **details})
    if revision.status == "review":
        change.audit("notice.submit", target, {"revision": revision.number})
    if outcome.live_changed:
        change.audit("notice.publish", target,
                     {"revision": revision.number, "version": notice.version})
    _emit(change, outcome, zones_added)
    return workflow.notice_json(change.session, notice)


def _emit(change: Change, outcome: workflow.Outcome, zones_added: list[str] = ()) -> None:
    notice = outcome.notice
    if outcome.went_live:
        # The slide joins every playlist it was waiting in.
        change.emit(PlaylistChanged(tuple(workflow.zones_of(change.session, notice.id))))
        return
    if outcome.live_changed:
        change.emit(NoticeChanged(notice.id))
    if zones_added and workflow.is_live(notice):
        change.emit(PlaylistChanged(tuple(zones_added)))


def create_notice(change: Change, data: Any, submit: bool = False) -> dict[str, Any]:
    """A new notice (`zones`: put it on those playlists). An editor's is a draft (in
    review with `submit`); an approver's or an admin's is live at once."""
    change.require(EDITORS)
    spec = parse_save(data)
    check_image(spec, change.data_dir)
    outcome = workflow.create(change.session, spec, change.actor.name, change.actor.approves,
                              change.now, submit=submit)
    zones = _add_to_zones(change, outcome.notice, spec.zones)
    return _recorded(change, outcome, zones)


def update_notice(change: Change, notice_id: int, data: Any, submit: bool = False
                  ) -> dict[str, Any]:
    """A new revision of a notice (PUT takes what GET returns; `version` and `pending`
    as read guard against overwriting a change made meanwhile)."""
    change.require(EDITORS)
    spec = parse_save(data, workflow.get_notice(change.session, notice_id).kind)
    check_image(spec, change.data_dir)
    outcome = workflow.update(
        change.session, notice_id, spec, change.actor.name, change.actor.approves, change.now,
        submit=submit, expected_version=spec.version,
        expected_pending=(spec.pending.number if spec.pending else None)
        if "pending" in spec.model_fields_set else ...)
    zones = _add_to_zones(change, outcome.notice, spec.zones)
    return _recorded(change, outcome, zones)


def restore_revision(change: Change, notice_id: int, number: int) -> dict[str, Any]:
    """A new revision with an old one's record: by an editor it goes to review, by an
    approver or an admin it is live at once."""
    change.require(EDITORS)
    old = workflow.get_revision(change.session, notice_id, number)
    outcome = workflow.update(change.session, notice_id, parse_notice(old.record),
                              change.actor.name, change.actor.approves, change.now, submit=True)
    body = _recorded(change, outcome, [])
    change.audit("notice.restore", f"notice:{notice_id}",
                 {"from": number, "revision": outcome.revision.number,
                  "status": outcome.revision.status})
    return body


def submit_notice(change: Change, notice_id: int, data: Any = None) -> dict[str, Any]:
    """Send the pending draft (or a rejected revision, as a new one) to an approver."""
    change.require(EDITORS)
    spec = parse(RevisionRef, data or {})
    outcome = workflow.submit(change.session, notice_id, change.actor.name, change.now,
                              spec.revision)
    change.audit("notice.submit", f"notice:{notice_id}", {"revision": outcome.revision.number})
    return workflow.notice_json(change.session, outcome.notice)


def approve_notice(change: Change, notice_id: int, data: Any = None) -> dict[str, Any]:
    """The revision in review goes live at once."""
    change.require(APPROVERS)
    spec = parse(RevisionRef, data or {})
    outcome = workflow.approve(change.session, notice_id, change.actor.name, change.now,
                               spec.revision)
    target = f"notice:{notice_id}"
    change.audit("notice.approve", target,
                 {"revision": outcome.revision.number, "author": outcome.revision.author})
    change.audit("notice.publish", target,
                 {"revision": outcome.revision.number, "version": outcome.notice.version})
    _emit(change, outcome)
    return workflow.notice_json(change.session, outcome.notice)


def reject_notice(change: Change, notice_id: int, data: Any) -> dict[str, Any]:
    """The revision in review goes back to its author with a reason (required); the live
    version stays on the screens."""
    change.require(APPROVERS)
    spec = parse(Rejection, data or {})
    if not spec.reason:
        raise invalid("reason", N_("Cần ghi lý do trả lại để người biên tập biết phải sửa gì."),
                      code="reason_required")
    outcome = workflow.reject(change.session, notice_id, change.actor.name, spec.reason,
                              change.now, spec.revision)
    change.audit("notice.reject", f"notice:{notice_id}",
                 {"revision": outcome.revision.number, "author": outcome.revision.author,
                  "reason": spec.reason})
    return workflow.notice_json(change.session, outcome.notice)


def delete_notice(change: Change, notice_id: int) -> None:
    """Delete a notice. One on the screens only by an approver or an admin; a notice never
    approved also by an editor."""
    change.require(EDITORS)
    notice = workflow.get_notice(change.session, notice_id)
    if not workflow.may_delete(notice, change.actor.approves):
        raise Forbidden(N_("Thông báo này đang hiển thị trên màn hình; chỉ người phê duyệt mới "
                           "gỡ được."))
    notice, zones = workflow.delete(change.session, notice_id)
    change.audit("notice.delete", f"notice:{notice_id}", {"title": notice.title})
    if zones:
        change.emit(PlaylistChanged(tuple(zones)))


def load_notice(change: Change, record: Record, status: str = "approved") -> str | None:
    """Make the notice with this record's code (or slug) say what a content file says:
    `record` live (status "approved"), or a working copy in that state ("draft",
    "review", "rejected"), by the same steps and audit entries as a save. Returns
    "created", "updated", or None when it already says so."""
    change.require(ADMIN)
    check_image(record, change.data_dir)
    session = change.session
    key = record.code if isinstance(record, Procedure) else record.slug
    notice = workflow.find_notice(session, record.kind, key)
    stored, live = record_json(record), status == "approved"
    if notice is not None:
        if workflow.is_live(notice) == live and notice.status == status \
                and notice.record == stored:
            return None
        pending = workflow.pending_revision(session, notice)
        if not live and pending is not None and pending.status == status \
                and pending.record == stored:
            return None
    submit = status in ("review", "rejected")
    if notice is None:
        outcome = workflow.create(session, record, change.actor.name, live, change.now,
                                  submit=submit)
    else:
        outcome = workflow.update(session, notice.id, record, change.actor.name, live,
                                  change.now, submit=submit)
    _recorded(change, outcome, [])
    if status == "rejected":
        rejected = workflow.reject(session, outcome.notice.id, change.actor.name,
                                   LOADED_REJECTED, change.now)
        change.audit("notice.reject", f"notice:{outcome.notice.id}",
                     {"revision": rejected.revision.number, "author": rejected.revision.author,
                      "reason": LOADED_REJECTED})
    return "created" if outcome.created else "updated"


# The reason a revision loaded as "rejected" from a content file carries (files keep no
# reason): stored text, in the content's language.
LOADED_REJECTED = "Trả lại (trạng thái trong tệp nội dung)."


# ---- reading --------------------------------------------------------------------------------

def get_notice(session: Session, notice_id: int, drafts: bool = True) -> dict[str, Any]:
    """A notice as the API shows it. Without `drafts` (a reader who does not edit, e.g. a
    counter operator) only what is on the screens: a notice never approved is not found,
    and no pending revision is shown."""
    notice = workflow.get_notice(session, notice_id)
    if drafts:
        return workflow.notice_json(session, notice)
    if not workflow.is_live(notice):
        raise NotFound(N_("Không tìm thấy thông báo số %(id)s."), id=notice_id)
    return {**workflow.notice_json(session, notice, with_record=False), "pending": None}


def list_notices(session: Session, query: NoticeQuery | dict[str, Any] | None = None,
                 drafts: bool = True) -> dict[str, Any]:
    """A page of notices (see NoticeQuery); `pending` without its record. Without
    `drafts`: only the approved ones, and nothing of what waits for approval."""
    q = parse(NoticeQuery, query or {})
    if not drafts and q.status not in (None, "approved"):
        return {"items": [], "total": 0, "limit": q.limit, "offset": q.offset}
    status = q.status if drafts else "approved"
    rows, total = workflow.list_notices(session, kind=q.kind, q=q.q, status=status,
                                        field=q.field, zone=q.zone, limit=q.limit,
                                        offset=q.offset)
    items = [workflow.notice_json(session, n, with_record=False) for n in rows]
    if not drafts:
        items = [{**item, "pending": None} for item in items]
    return {"items": items, "total": total, "limit": q.limit, "offset": q.offset}


def list_revisions(session: Session, notice_id: int) -> dict[str, Any]:
    notice = workflow.get_notice(session, notice_id)
    return {"notice_id": notice_id, "live": workflow.live_number(session, notice),
            "items": [workflow.revision_json(r, with_record=False)
                      for r in reversed(workflow.revisions(session, notice_id))]}


def get_revision(session: Session, notice_id: int, number: int) -> dict[str, Any]:
    return workflow.revision_json(workflow.get_revision(session, notice_id, number))


def diff_revisions(session: Session, notice_id: int, start: int | None = None,
                   to: int | None = None) -> dict[str, Any]:
    """What changed from revision `start` to `to` (0: nothing before). By default the live
    one and the pending one, or, with nothing pending, the one before the newest and the
    newest."""
    notice = workflow.get_notice(session, notice_id)
    numbers = [r.number for r in workflow.revisions(session, notice_id)]
    pending = workflow.pending_revision(session, notice)
    live = workflow.live_number(session, notice)
    if to is None:
        to = pending.number if pending else (numbers[-1] if numbers else 0)
    if start is None:
        start = live if pending and live else max((n for n in numbers if n < to), default=0)
    after = workflow.get_revision(session, notice_id, to).record if to else notice.record
    before = workflow.get_revision(session, notice_id, start).record if start else None
    return {"notice_id": notice_id, "from": start or None, "to": to or None,
            "changes": workflow.diff(before, after)}


def preview_notice(session: Session, data: Any, data_dir: Path | None = None
                   ) -> dict[str, Any]:
    """A record as typed, checked (schema, code uniqueness, a picture this server has —
    the pictures are under `data_dir`) but not saved: (`record` the slide templates can
    draw, `problems` — FieldProblems — and the office names). An `id` in `data` is the
    notice being edited."""
    data = data if isinstance(data, dict) else {}
    own_id = data.get("id") if isinstance(data.get("id"), int) else None
    # It takes what a save takes: what comes along with the record is not the record.
    record, problems = preview_record({k: v for k, v in data.items()
                                       if k not in Saving.model_fields})
    if not problems:
        try:
            workflow.check_unique(session, parse_notice(record), own_id)
        except Conflict as exc:
            problems = [FieldProblem(exc.extra["field"], exc.message or "", exc.params)]
    missing = image_problem(str(record.get("image") or ""), data_dir)
    if missing is not None and not any(p.field == "image" for p in problems):
        problems = [*problems, missing]
        record = {**record, "image": ""}  # the preview shows what the TV would: no picture
    office = playlists.office(session)
    return {"record": record, "problems": problems, "own_id": own_id,
            "office": {"office_name": office["office_name"], "ward_name": office["ward_name"]}}


# ---- what the /admin pages read ----------------------------------------------------------------

def notices_page(session: Session, query: dict[str, Any]) -> dict[str, Any]:
    """The list page: a page of notices with what waits and where each is shown."""
    q = parse(NoticeQuery, query)
    rows, total = workflow.list_notices(session, kind=q.kind, q=q.q, status=q.status,
                                        field=q.field, zone=q.zone, limit=q.limit,
                                        offset=q.offset)
    return {"items": [{"notice": workflow.live_json(n),
                       "pending": workflow.pending_json(workflow.pending_revision(session, n)),
                       "zones": workflow.zones_of(session, n.id)} for n in rows],
            "total": total, "fields": workflow.fields_in_use(session)}


def notice_form(session: Session, notice_id: int) -> dict[str, Any]:
    """What the edit form starts from: the notice, the revision it edits (the pending one,
    else the live record), the live revision's number and the zones that hold it."""
    notice = workflow.get_notice(session, notice_id)
    pending = workflow.pending_revision(session, notice)
    return {"notice": workflow.live_json(notice),
            "pending": workflow.revision_json(pending) if pending else None,
            "record": dict(pending.record if pending else notice.record),
            "live": workflow.live_number(session, notice),
            "held": workflow.zones_of(session, notice_id)}


def fields_in_use(session: Session) -> list[str]:
    return workflow.fields_in_use(session)


def count_in_review(session: Session) -> int:
    return workflow.count_in_review(session)


def review_queue(session: Session) -> list[dict[str, Any]]:
    """Revisions waiting for an approver, oldest request first."""
    return [{"notice": workflow.live_json(n), "revision": workflow.revision_json(r),
             "live": workflow.is_live(n)} for n, r in workflow.review_queue(session)]


def history(session: Session, notice_id: int, start: int | None = None, to: int | None = None
            ) -> dict[str, Any]:
    """The history page: every revision (newest first), the pending and live ones, and
    the diff from `start` to `to` (defaults as in diff_revisions; numbers that do not
    exist fall back to them)."""
    notice = workflow.get_notice(session, notice_id)
    revisions = list(reversed(workflow.revisions(session, notice_id)))
    pending = workflow.pending_revision(session, notice)
    live = workflow.live_number(session, notice)
    by_number = {r.number: r for r in revisions}
    numbers = sorted(by_number)
    page: dict[str, Any] = {
        "notice": workflow.live_json(notice),
        "revisions": [workflow.revision_json(r) for r in revisions],
        "pending": workflow.revision_json(pending) if pending else None,
        "live": live, "numbers": numbers, "changes": [], "a": None, "b": None}
    if not numbers:
        page["live"] = None
        return page
    default_b = pending.number if pending else numbers[-1]
    b = to if to in by_number else default_b
    default_a = live if (pending and live) else max((n for n in numbers if n < b), default=0)
    a = start if start is not None and start in by_number else (
        0 if start is not None else default_a)
    page.update(a=a, b=b, changes=workflow.diff(by_number[a].record if a else None,
                                                by_number[b].record))
    return page

