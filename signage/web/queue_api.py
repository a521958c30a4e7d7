"""REST API of the queue under /api/v1: services, counters, tickets, counter actions.

Who may do what: taking a number is what the anonymous kiosk does (no token, no
rate limit below what a lobby could ever need); reading services, counters and
the queue state is public (no personal data in them); counter actions need an
operator (or admin) token; creating and changing services and counters needs admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request, url_for

from signage.queueing import calling, catalog, numbering, views
from signage.queueing.announce import set_speech_settings, speech_settings
from signage.queueing.errors import QueueError
from signage.queueing.printing import PrintError, parse_spec, print_ticket
from signage.store.models_queue import Ticket
from signage.web.auth import require
from signage.web.errors import ApiError, error_response
from signage.web.queue import broadcaster, public_base, setting

bp = Blueprint("queue_api", __name__, url_prefix="/api/v1")


@bp.errorhandler(QueueError)
def _queue_error(exc: QueueError):
    return error_response(exc.status, exc.code, exc.message, **exc.extra)


def _lobby():
    return current_app.extensions["signage"]


def _body(required: bool = True) -> dict[str, Any]:
    data = request.get_json(silent=True)
    if data is None and not required and not request.get_data():
        return {}
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json",
                       "Cần gửi một đối tượng JSON (Content-Type: application/json).")
    return data


def _created(body: dict[str, Any], location: str):
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


# ---- services -----------------------------------------------------------------------

@bp.get("/services")
def get_services():
    """Public: the kiosk lists them. ?active=1 leaves out the paused ones."""
    active_only = request.args.get("active") in ("1", "true")
    with _lobby().store.read() as session:
        items = [catalog.service_json(s)
                 for s in catalog.list_services(session, active_only=active_only)]
    return jsonify({"items": items})


@bp.post("/services")
@require({"admin"})
def post_service():
    lobby = _lobby()
    with lobby.store.write() as session:
        body = catalog.service_json(catalog.create_service(session, _body(), lobby.clock.now()))
    broadcaster().changed()
    return _created(body, url_for("queue_api.get_service", code=body["code"]))


@bp.get("/services/<code>")
def get_service(code: str):
    with _lobby().store.read() as session:
        return jsonify(catalog.service_json(catalog.get_service(session, code)))


@bp.patch("/services/<code>")
@require({"admin"})
def patch_service(code: str):
    with _lobby().store.write() as session:
        body = catalog.service_json(catalog.update_service(session, code, _body()))
    broadcaster().changed()
    return jsonify(body)


# ---- counters -----------------------------------------------------------------------

@bp.get("/counters")
def get_counters():
    with _lobby().store.read() as session:
        return jsonify({"items": [catalog.counter_json(c) for c in catalog.list_counters(session)]})


@bp.post("/counters")
@require({"admin"})
def post_counter():
    lobby = _lobby()
    with lobby.store.write() as session:
        body = catalog.counter_json(catalog.create_counter(session, _body(), lobby.clock.now()))
    broadcaster().changed()
    return _created(body, url_for("queue_api.get_counter", counter_id=body["id"]))


@bp.get("/counters/<int:counter_id>")
def get_counter(counter_id: int):
    with _lobby().store.read() as session:
        return jsonify(catalog.counter_json(catalog.get_counter(session, counter_id)))


@bp.patch("/counters/<int:counter_id>")
@require({"operator"})
def patch_counter(counter_id: int):
    """Admin changes anything; an operator only signs the officer on duty in or out."""
    data = _body()
    if g.user_role != "admin" and set(data) - {"officer"}:
        raise ApiError(403, "forbidden", "Cán bộ một cửa chỉ được đổi cán bộ trực (officer).")
    with _lobby().store.write() as session:
        body = catalog.counter_json(catalog.update_counter(session, counter_id, data))
    broadcaster().changed()
    return jsonify(body)


# ---- tickets ------------------------------------------------------------------------

@bp.post("/tickets")
def post_ticket():
    """Take a number (anonymous: the kiosk). {"service": CODE, "priority"?: GROUP}."""
    data = _body()
    code = data.get("service")
    if not isinstance(code, str) or not code:
        raise ApiError(422, "validation_failed", "Cần mã dịch vụ (service).", field="service")
    lobby = _lobby()
    printer = parse_spec(setting("escpos")) if data.get("print", True) is not False else None
    now = lobby.clock.now()
    with lobby.store.write() as session:
        ticket = numbering.issue_ticket(session, code, now, lobby.clock.tz,
                                        priority=data.get("priority"),
                                        awaiting_print=printer is not None)
        body = views.issued_json(session, ticket, now)
    body["printed"] = None
    if printer is not None:
        body = _print(lobby, printer, body)
    broadcaster().changed()
    return _created(body, url_for("queue_api.get_ticket", ticket_id=body["id"]))


def _print(lobby, printer, body: dict[str, Any]) -> dict[str, Any]:
    """Print after commit; on failure void the ticket (kept in history) and say so."""
    issued = views.iso_local(body["issued_at"], lobby.clock.tz)
    try:
        with lobby.store.read() as session:
            office = views.office_name(session)
        print_ticket(printer, body, office=office, issued_local=issued,
                     status_url=f"{public_base()}{body['status_url']}")
    except PrintError as exc:
        with lobby.store.write() as session:
            numbering.void_ticket(session, body["id"], lobby.clock.now(), str(exc))
        broadcaster().changed()
        raise ApiError(503, "print_failed", str(exc),
                       ticket={"id": body["id"], "display": body["display"], "status": "void"}
                       ) from None
    with lobby.store.write() as session:
        numbering.mark_printed(session, body["id"], lobby.clock.now())
    return {**body, "status": "waiting", "printed": "escpos"}


@bp.get("/tickets/<int:ticket_id>")
@require({"operator"})
def get_ticket(ticket_id: int):
    lobby = _lobby()
    with lobby.store.read() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise ApiError(404, "not_found", f"Không có phiếu id {ticket_id}.")
        return jsonify(views.ticket_json(ticket))


@bp.get("/tickets/status/<token>")
def get_ticket_status(token: str):
    """Public, by the unguessable token printed as a QR: the citizen's own status."""
    lobby = _lobby()
    with lobby.store.read() as session:
        return jsonify(views.ticket_status(session, token, lobby.clock.now()))


# ---- counter actions ----------------------------------------------------------------

def _act(counter_id: int, action: Callable[..., calling.CounterAction], **kw: Any):
    lobby = _lobby()
    call = None
    with lobby.store.write() as session:
        done = action(session, counter_id, lobby.clock.now(), lobby.clock.tz,
                      actor=g.get("user_name"), **kw)
        if done.kind in ("called", "recalled"):
            call = broadcaster().call(session, done)
        ticket = views.ticket_json(done.ticket)
        finished = views.ticket_json(done.finished) if done.finished else None
    # Published after commit: a screen that resyncs on this event sees it in the store.
    if call is not None:
        broadcaster().publish_call(call)
    else:
        broadcaster().changed()
    # The ticket's fields at the top, and nested under "ticket" for clients reading it so.
    return jsonify({**ticket, "ticket": ticket, "action": done.kind, "finished": finished})


def _ticket_id(data: dict[str, Any], required: bool = False) -> int | None:
    value = data.get("ticket_id")
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(422, "validation_failed", "ticket_id phải là số nguyên.", field="ticket_id")
    return value


@bp.post("/counters/<int:counter_id>/call-next")
@require({"operator"})
def call_next(counter_id: int):
    lobby = _lobby()
    with lobby.store.read() as session:
        if not calling.anyone_waiting(session, counter_id, lobby.clock.now(), lobby.clock.tz):
            counter = catalog.get_counter(session, counter_id)
            raise QueueError("queue_empty", f"Không còn công dân nào đang chờ ở {counter.name}.",
                             counter=counter.number)
    return _act(counter_id, calling.call_next)


@bp.post("/counters/<int:counter_id>/call")
@require({"operator"})
def call_one(counter_id: int):
    """Call a given ticket (a held one, a late no-show): {"ticket_id": N}."""
    ticket_id = _ticket_id(_body(), required=True)
    return _act(counter_id, calling.call_ticket, ticket_id=ticket_id)


@bp.post("/counters/<int:counter_id>/recall")
@require({"operator"})
def recall(counter_id: int):
    return _act(counter_id, calling.recall)


@bp.post("/counters/<int:counter_id>/skip")
@require({"operator"})
def skip(counter_id: int):
    return _act(counter_id, calling.skip, ticket_id=_ticket_id(_body(required=False)))


@bp.post("/counters/<int:counter_id>/hold")
@require({"operator"})
def hold(counter_id: int):
    return _act(counter_id, calling.hold, ticket_id=_ticket_id(_body(required=False)))


@bp.post("/counters/<int:counter_id>/complete")
@require({"operator"})
def complete(counter_id: int):
    return _act(counter_id, calling.complete, ticket_id=_ticket_id(_body(required=False)))


@bp.post("/counters/<int:counter_id>/transfer")
@require({"operator"})
def transfer(counter_id: int):
    """{"service": CODE} or {"counter": ID} or {"counter_number": N} (both may be given)."""
    data = _body()
    service = data.get("service")
    target = data.get("counter")
    number = data.get("counter_number")
    if service is not None and not isinstance(service, str):
        raise ApiError(422, "validation_failed", "service phải là mã dịch vụ.", field="service")
    for key, value in (("counter", target), ("counter_number", number)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ApiError(422, "validation_failed", f"{key} phải là số nguyên.", field=key)
    return _act(counter_id, calling.transfer, service=service, counter=target,
                counter_number=number, ticket_id=_ticket_id(data))


# ---- the whole queue ----------------------------------------------------------------

@bp.get("/queue")
def get_queue():
    lobby = _lobby()
    with lobby.store.read() as session:
        return jsonify(views.queue_state(session, lobby.clock.now(), lobby.clock.tz))


@bp.get("/queue/settings")
def get_queue_settings():
    with _lobby().store.read() as session:
        return jsonify(speech_settings(session))


@bp.put("/queue/settings")
@require({"admin"})
def put_queue_settings():
    with _lobby().store.write() as session:
        body = set_speech_settings(session, _body())
    broadcaster().changed()
    return jsonify(body)
