"""/api/v1/notices: read, write, review, history, preview (routes on signage.web.api's `bp`).

Thin: each handler is one write transaction through signage.notices.workflow (which
writes the audit entries in it), then, after commit, the Hub: a change to the live
record → `lobby.notice_changed`, a notice's first live version → its zones'
`playlists_changed`. An editor's save never reaches a screen; an approver's does, at
once. The admin pages (signage/web/admin/notices.py) call these same endpoints.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from flask import current_app, g, jsonify, request, url_for

from signage.accounts import CAN_APPROVE, CAN_EDIT
from signage.accounts.audit import record
from signage.notices import service as notices
from signage.notices import workflow
from signage.notices.preview import preview_record
from signage.notices.schema import NoticeInvalid, parse_notice
from signage.playlists import service as playlists
from signage.web.api_old import _int_arg, _json_body, bp
from signage.web.auth import require
from signage.web.errors import ApiError


def _lobby():
    return current_app.extensions["signage"]


def _staff() -> workflow.Staff:
    return workflow.Staff(g.user_name, g.user_role, request.remote_addr)


def _optional_body() -> dict[str, Any]:
    """The JSON object of a POST that may have no body at all."""
    if not request.get_data():
        return {}
    data = _json_body()
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "Cần gửi một đối tượng JSON.")
    return data


def _revision_arg(data: dict[str, Any]) -> int | None:
    number = data.get("revision")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise ApiError(422, "validation_failed", "revision phải là số nguyên (số phiên bản).")
    return number


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes", "on")


@contextmanager
def _domain_errors():
    """The domain's errors as the API's JSON errors."""
    try:
        yield
    except (notices.NoticeNotFound, workflow.RevisionNotFound) as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except NoticeInvalid as exc:
        raise ApiError(422, "validation_failed",
                       "Thông báo chưa hợp lệ: " + exc.problems[0]["message"],
                       details=exc.problems) from None
    except notices.NoticeConflict as exc:
        raise ApiError(409, "conflict", exc.message, field=exc.field) from None
    except workflow.WorkflowError as exc:
        raise ApiError(exc.status, exc.code, exc.message, **exc.extra) from None


def publish(lobby: Any, notice_id: int, outcome: workflow.Outcome | None,
            zones: list[str] | None = None) -> None:
    """After commit: tell the screens what the step changed on the glass."""
    if outcome is None:
        return
    if outcome.went_live:
        lobby.publisher.playlists_changed(zones or [])   # the slide joins playlists it was waiting in
        return
    if outcome.live_changed:
        lobby.publisher.notice_changed(notice_id)
    if outcome.zones_added and workflow.is_live(outcome.notice):
        lobby.publisher.playlists_changed(outcome.zones_added)


def _step(action, notice_id: int, *args: Any, **kwargs: Any):
    """Run one workflow step in a write transaction; answer the notice, publish after."""
    lobby = _lobby()
    with _domain_errors(), lobby.store.write() as session:
        outcome = action(session, notice_id, *args, **kwargs)
        body = workflow.notice_json(session, outcome.notice)
        zones = workflow.zones_of(session, outcome.notice.id)
    publish(lobby, outcome.notice.id, outcome, zones)
    return body, outcome


# ---- the notices ------------------------------------------------------------------

@bp.get("/notices")
@require()
def list_notices():
    kind = request.args.get("kind")
    if kind not in (None, "", "procedure", "law"):
        raise ApiError(400, "invalid_parameter", "Tham số kind phải là procedure hoặc law.")
    status = request.args.get("status") or None
    if status not in (None, *workflow.NOTICE_STATUSES):
        raise ApiError(400, "invalid_parameter",
                       "Tham số status phải là approved, draft, review hoặc rejected.")
    limit = _int_arg("limit", 100, 1, 500)
    offset = _int_arg("offset", 0, 0, 10**9)
    with _lobby().store.read() as session:
        rows, total = workflow.list_notices(
            session, kind=kind or None, q=request.args.get("q"), status=status,
            field=request.args.get("field") or None, zone=request.args.get("zone") or None,
            limit=limit, offset=offset)
        items = [workflow.notice_json(session, n, with_record=False) for n in rows]
    return jsonify({"items": items, "total": total, "limit": limit, "offset": offset})


@bp.post("/notices")
@require(CAN_EDIT)
def create_notice():
    data = _json_body()
    zones = data.get("zones") if isinstance(data, dict) else None
    lobby = _lobby()
    with _domain_errors(), lobby.store.write() as session:
        outcome = workflow.save(session, None, data, _staff(), lobby.clock.now(),
                                submit=_flag("submit"), zones=zones)
        body = workflow.notice_json(session, outcome.notice)
    publish(lobby, body["id"], outcome, outcome.zones_added)
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_notice", notice_id=body["id"])
    return response


@bp.get("/notices/<int:notice_id>")
@require()
def get_notice(notice_id: int):
    with _domain_errors(), _lobby().store.read() as session:
        return jsonify(workflow.notice_json(session, notices.get_notice(session, notice_id)))


@bp.put("/notices/<int:notice_id>")
@require(CAN_EDIT)
def put_notice(notice_id: int):
    data = _json_body()
    if not isinstance(data, dict):
        raise ApiError(422, "validation_failed", "Thông báo phải là một đối tượng JSON.")
    lobby = _lobby()
    with _domain_errors(), lobby.store.write() as session:
        outcome = workflow.save(
            session, notice_id, data, _staff(), lobby.clock.now(), submit=_flag("submit"),
            expected_version=data.get("version"),
            expected_pending=data.get("pending", workflow.MISSING), zones=data.get("zones"))
        body = workflow.notice_json(session, outcome.notice)
        zones = workflow.zones_of(session, notice_id)
    publish(lobby, notice_id, outcome, zones)
    return jsonify(body)


@bp.delete("/notices/<int:notice_id>")
@require(CAN_EDIT)
def delete_notice(notice_id: int):
    lobby = _lobby()
    with _domain_errors(), lobby.store.write() as session:
        notice = notices.get_notice(session, notice_id)
        if not workflow.may_delete(notice, _staff()):
            raise ApiError(403, "forbidden", "Thông báo này đang hiển thị trên màn hình; chỉ "
                                             "người phê duyệt mới gỡ được.")
        zone_ids = notices.delete_notice(session, notice_id)
        slugs = playlists.zone_slugs_by_id(session, zone_ids)
        record(session, g.user_name, "notice.delete", f"notice:{notice_id}", None,
               request.remote_addr, lobby.clock.now())
    lobby.publisher.playlists_changed(slugs)
    return "", 204


# ---- review ----------------------------------------------------------------------------

@bp.post("/notices/<int:notice_id>/submit")
@require(CAN_EDIT)
def submit_notice(notice_id: int):
    data = _optional_body()
    body, _ = _step(workflow.submit, notice_id, _staff(), _lobby().clock.now(),
                    number=_revision_arg(data))
    return jsonify(body)


@bp.post("/notices/<int:notice_id>/approve")
@require(CAN_APPROVE)
def approve_notice(notice_id: int):
    data = _optional_body()
    body, _ = _step(workflow.approve, notice_id, _staff(), _lobby().clock.now(),
                    number=_revision_arg(data))
    return jsonify(body)


@bp.post("/notices/<int:notice_id>/reject")
@require(CAN_APPROVE)
def reject_notice(notice_id: int):
    data = _optional_body()
    body, _ = _step(workflow.reject, notice_id, _staff(), data.get("reason"),
                    _lobby().clock.now(), number=_revision_arg(data))
    return jsonify(body)


# ---- history ---------------------------------------------------------------------------

@bp.get("/notices/<int:notice_id>/revisions")
@require()
def list_revisions(notice_id: int):
    with _domain_errors(), _lobby().store.read() as session:
        notice = notices.get_notice(session, notice_id)
        items = [workflow.revision_json(r, with_record=False)
                 for r in reversed(workflow.revisions(session, notice_id))]
        return jsonify({"notice_id": notice_id, "live": workflow.live_number(session, notice),
                        "items": items})


@bp.get("/notices/<int:notice_id>/revisions/<int:number>")
@require()
def get_revision(notice_id: int, number: int):
    with _domain_errors(), _lobby().store.read() as session:
        return jsonify(workflow.revision_json(workflow.get_revision(session, notice_id, number)))


@bp.get("/notices/<int:notice_id>/diff")
@require()
def diff_revisions(notice_id: int):
    """`from`/`to` are revision numbers; by default the live one and the pending one
    (or, with nothing pending, the one before the newest and the newest)."""
    with _domain_errors(), _lobby().store.read() as session:
        notice = notices.get_notice(session, notice_id)
        numbers = [r.number for r in workflow.revisions(session, notice_id)]
        pending = workflow.pending_revision(session, notice)
        live = workflow.live_number(session, notice)
        to = _int_arg("to", pending.number if pending else (numbers[-1] if numbers else 0),
                      0, 10**9)
        default_from = live if pending and live else max((n for n in numbers if n < to),
                                                         default=0)
        start = _int_arg("from", default_from, 0, 10**9)
        after = workflow.get_revision(session, notice_id, to).record if to else notice.record
        before = workflow.get_revision(session, notice_id, start).record if start else None
        return jsonify({"notice_id": notice_id, "from": start or None, "to": to or None,
                        "changes": workflow.diff(before, after)})


@bp.post("/notices/<int:notice_id>/revisions/<int:number>/restore")
@require(CAN_EDIT)
def restore_revision(notice_id: int, number: int):
    body, _ = _step(workflow.restore, notice_id, number, _staff(), _lobby().clock.now())
    return jsonify(body)


# ---- live preview ----------------------------------------------------------------------

@bp.post("/notices/preview")
@require(CAN_EDIT)
def preview_notice():
    """Validate a record as typed and answer the slide HTML the screens would show.
    Saves nothing. An `id` in the body is the notice being edited (for the code check)."""
    data = _json_body()
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "Cần gửi một đối tượng JSON.")
    lobby = _lobby()
    rec, problems = preview_record(data)
    own_id = data.get("id") if isinstance(data.get("id"), int) else None
    with lobby.store.read() as session:
        if not problems:
            try:
                workflow.check_unique(session, parse_notice(rec), own_id)
            except notices.NoticeConflict as exc:
                problems = [{"field": exc.field, "message": exc.message}]
        office = playlists.office(session)
    html = lobby.publisher.renderer.render({**rec, "id": own_id or 0, "version": 0, "status": "preview"})
    return jsonify({"valid": not problems, "problems": problems, "kind": rec["kind"],
                    "title": rec.get("title", ""), "html": html,
                    "office": {"office_name": office.get("office_name"),
                               "ward_name": office.get("ward_name")}})
