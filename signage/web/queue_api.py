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

from signage.accounts.audit import record
from signage.queueing import calling, catalog, numbering, views
from signage.queueing.announce import set_speech_settings, speech_settings
from signage.queueing.errors import QueueError
from signage.queueing.printing import PrintError, parse_spec, print_ticket
from signage.store.models_queue import Ticket
from signage.web.auth import require
from signage.web.errors import ApiError, error_response
from signage.web.queue import broadcaster, public_base, queue_write, setting

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


def _audit(session: Any, thing: str, target: str, data: dict[str, Any],
           created: bool | None = None) -> None:
    """Record a service/counter/settings change in its own transaction (docs/admin.md).
    A body of only {"active": …} is an activation or deactivation; details are the
    fields as sent."""
    if created is not None:
        verb = "create" if created else "update"
    elif set(data) == {"active"}:
        verb = "activate" if data["active"] else "deactivate"
    else:
        verb = "update"
    record(session, g.user_name, f"{thing}.{verb}", target, data, request.remote_addr,
           _lobby().clock.now())


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
    """Define a service by its code: created, or redefined if the code exists (201 both)."""
    lobby = _lobby()
    with queue_write(lobby) as session:
        data = _body()
        service, created = catalog.define_service(session, data, lobby.clock.now())
        body = {**catalog.service_json(service), "created": created}
        _audit(session, "service", f"service:{service.code}", data, created)
    broadcaster().changed()
    return _created(body, url_for("queue_api.get_service", code=body["code"]))


@bp.get("/services/<code>")
def get_service(code: str):
    with _lobby().store.read() as session:
        return jsonify(catalog.service_json(catalog.get_service(session, code)))


@bp.patch("/services/<code>")
@require({"admin"})
def patch_service(code: str):
    data = _body()
    with queue_write(_lobby()) as session:
        body = catalog.service_json(catalog.update_service(session, code, data))
        _audit(session, "service", f"service:{body['code']}", data)
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
    """Define a counter by its number: created, or redefined if the number exists (201 both)."""
    lobby = _lobby()
    with queue_write(lobby) as session:
        data = _body()
        counter, created = catalog.define_counter(session, data, lobby.clock.now())
        body = {**catalog.counter_json(counter), "created": created}
        _audit(session, "counter", f"counter:{counter.number}", data, created)
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
    with queue_write(_lobby()) as session:
        body = catalog.counter_json(catalog.update_counter(session, counter_id, data))
        _audit(session, "counter", f"counter:{body['number']}", data)
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
    with queue_write(lobby) as session:
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
        with queue_write(lobby) as session:
            numbering.void_ticket(session, body["id"], lobby.clock.now(), str(exc))
        broadcaster().changed()
        raise ApiError(503, "print_failed", str(exc),
                       ticket={"id": body["id"], "display": body["display"], "status": "void"}
                       ) from None
    with queue_write(lobby) as session:
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
    with queue_write(lobby) as session:
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
    with queue_write(_lobby()) as session:
        data = _body()
        body = set_speech_settings(session, data)
        record(session, g.user_name, "queue.settings", "queue:settings", data,
               request.remote_addr, _lobby().clock.now())
    broadcaster().changed()
    return jsonify(body)


# ---- OpenAPI ------------------------------------------------------------------------

def openapi_paths() -> dict[str, Any]:
    """The queue's paths for /api/v1/openapi.json (merged by signage.web.openapi)."""
    def js(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    def body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
        return {"required": required, "content": {"application/json": {"schema": schema}}}

    error = {"$ref": "#/components/schemas/Error"}
    public = {"security": []}
    hhmm = {"type": ["string", "null"], "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
    service = {"type": "object", "required": ["code", "name", "prefix"], "properties": {
        "id": {"type": "integer", "readOnly": True},
        "code": {"type": "string", "maxLength": 32}, "name": {"type": "string"},
        "prefix": {"type": "string", "description": "1–3 letters A–Z or Đ, spoken on the TVs"},
        "range_start": {"type": "integer", "default": 1},
        "range_end": {"type": "integer", "default": 9999},
        "daily_cap": {"type": ["integer", "null"], "description": "null: no limit"},
        "opens_at": hhmm, "closes_at": hhmm, "position": {"type": "integer"},
        "active": {"type": "boolean"}}}
    counter = {"type": "object", "required": ["number"], "properties": {
        "id": {"type": "integer", "readOnly": True}, "number": {"type": "integer"},
        "name": {"type": "string"}, "officer": {"type": ["string", "null"]},
        "services": {"type": "array", "items": {"type": "string"}, "description": "codes"},
        "zones": {"type": "array", "items": {"type": "string"},
                  "description": "zone slugs whose screens show it; empty: every zone"},
        "active": {"type": "boolean"}}}
    ticket = {"type": "object", "properties": {
        "id": {"type": "integer"}, "number": {"type": "integer"},
        "display": {"type": "string", "examples": ["A-1005"]},
        "service": {"type": "string"}, "service_name": {"type": "string"},
        "queue_service": {"type": "string", "description": "the queue it waits in now"},
        "priority": {"type": ["string", "null"]},
        "status": {"enum": ["printing", "waiting", "called", "held", "done", "skipped", "void",
                            "expired"]},
        "counter": {"type": ["integer", "null"], "description": "counter number"},
        "office_date": {"type": "string", "format": "date"},
        "issued_at": {"type": "string", "format": "date-time"},
        "called_at": {"type": ["string", "null"], "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "calls": {"type": "integer"}}}
    issued = {"allOf": [ticket, {"type": "object", "properties": {
        "token": {"type": "string"}, "status_url": {"type": "string"},
        "people_ahead": {"type": "integer"}, "estimated_wait_s": {"type": "integer"},
        "printed": {"enum": ["escpos", None]}}}]}
    action = {"allOf": [ticket, {"type": "object", "properties": {
        "ticket": ticket, "action": {"type": "string"},
        "finished": {"oneOf": [ticket, {"type": "null"}],
                     "description": "the previous ticket, completed by call-next"}}}]}
    items = lambda schema: {"type": "object", "properties": {  # noqa: E731
        "items": {"type": "array", "items": schema}}}
    errors = {"401": js(error, "Thiếu hoặc sai token"), "403": js(error, "Không đủ quyền")}
    counter_id = {"name": "counter_id", "in": "path", "required": True,
                  "schema": {"type": "integer"}}
    ticket_ref = body({"type": "object", "properties": {"ticket_id": {"type": "integer"}}},
                      required=False)

    def counter_action(summary: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {"summary": summary + " (operator)", "responses": {
            "200": js(action), "404": js(error, "Không có quầy / không còn ai chờ"),
            "409": js(error, "Không có phiếu đang phục vụ, hoặc sai trạng thái"), **errors}}
        if request:
            op["requestBody"] = request
        return {"parameters": [counter_id], "post": op}

    return {
        "/services": {
            "get": {**public, "summary": "Services (public; ?active=1: only those taking numbers)",
                    "responses": {"200": js(items(service))}},
            "post": {"summary": "Define a service by code (admin): created, or redefined if the"
                             " code exists (201 both; `created` tells)",
                     "requestBody": body(service),
                     "responses": {"201": js(service, "Created"), "409": js(error),
                                   "422": js(error), **errors}}},
        "/services/{code}": {
            "parameters": [{"name": "code", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "get": {**public, "summary": "One service", "responses": {"200": js(service)}},
            "patch": {"summary": "Change a service (admin)", "requestBody": body(service),
                      "responses": {"200": js(service), "422": js(error), **errors}}},
        "/counters": {
            "get": {**public, "summary": "Counters (public)", "responses": {"200": js(items(counter))}},
            "post": {"summary": "Define a counter by number (admin): created, or redefined if"
                             " the number exists (201 both; `created` tells)",
                     "requestBody": body(counter),
                     "responses": {"201": js(counter, "Created"), "409": js(error),
                                   "422": js(error), **errors}}},
        "/counters/{counter_id}": {
            "parameters": [counter_id],
            "get": {**public, "summary": "One counter", "responses": {"200": js(counter)}},
            "patch": {"summary": "Change a counter (admin; an operator may set only officer)",
                      "requestBody": body(counter),
                      "responses": {"200": js(counter), "422": js(error), **errors}}},
        "/counters/{counter_id}/call-next": counter_action(
            "Call the next waiting ticket (priority lane first); completes the previous one"),
        "/counters/{counter_id}/call": counter_action(
            "Call one given ticket (held, skipped or waiting)",
            body({"type": "object", "required": ["ticket_id"],
                  "properties": {"ticket_id": {"type": "integer"}}})),
        "/counters/{counter_id}/recall": counter_action("Announce the current ticket again"),
        "/counters/{counter_id}/skip": counter_action("The citizen did not come", ticket_ref),
        "/counters/{counter_id}/hold": counter_action("Put the current ticket aside", ticket_ref),
        "/counters/{counter_id}/complete": counter_action("The citizen was served", ticket_ref),
        "/counters/{counter_id}/transfer": counter_action(
            "Send the current ticket to another service's queue or to one counter",
            body({"type": "object", "properties": {
                "service": {"type": "string"}, "counter": {"type": "integer"},
                "counter_number": {"type": "integer"}, "ticket_id": {"type": "integer"}}})),
        "/tickets": {"post": {
            **public, "summary": "Take a number (anonymous: the kiosk)",
            "requestBody": body({"type": "object", "required": ["service"], "properties": {
                "service": {"type": "string"},
                "priority": {"type": ["string", "boolean"],
                             "description": "a priority group key, e.g. nguoi-cao-tuoi"},
                "print": {"type": "boolean", "default": True,
                          "description": "false: do not print on the ESC/POS printer"}}}),
            "responses": {"201": js(issued, "Issued"),
                          "404": js(error, "Không có dịch vụ"),
                          "409": js(error, "Ngoài giờ, hết số trong ngày, hết dải số"),
                          "503": js(error, "print_failed: the ticket was voided")}}},
        "/tickets/{ticket_id}": {"get": {
            "summary": "One ticket (operator)",
            "parameters": [{"name": "ticket_id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {"200": js(ticket), "404": js(error), **errors}}},
        "/tickets/status/{token}": {"get": {
            **public, "summary": "A citizen's own ticket, by the token in its QR",
            "parameters": [{"name": "token", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": js(ticket), "404": js(error)}}},
        "/queue": {"get": {**public, "summary": "The queue today: counters, waiting, last calls",
                           "responses": {"200": js({"type": "object"})}}},
        "/queue/settings": {
            "get": {**public, "summary": "How calls are spoken and shown",
                    "responses": {"200": js({"type": "object"})}},
            "put": {"summary": "Change them (admin)", "requestBody": body({
                "type": "object", "properties": {
                    "reading": {"enum": ["digits", "number"]}, "zero_ten": {"enum": ["lẻ", "linh"]},
                    "repeat": {"type": "integer", "minimum": 1, "maximum": 5},
                    "overlay_seconds": {"type": "integer", "minimum": 3, "maximum": 60}}}),
                "responses": {"200": js({"type": "object"}), "422": js(error), **errors}}},
    }
