"""/admin/services, /admin/counters, /admin/queue-settings: how the queue is set up (admin).

Plain forms with the CSRF token, like the other /admin pages, so they work without
JavaScript. They call the same domain functions as the REST API
(`signage.queueing.catalog`, `announce`): each change is one queue write
transaction together with its audit entry, and the screens are told afterwards.
Nothing is deleted: a service is paused and a counter deactivated, because tickets
and calls keep pointing at them (the ward's history).
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from signage import accounts
from signage.accounts.audit import record
from signage.notices.schema import slugify
from signage.queueing import catalog
from signage.queueing.announce import set_speech_settings, speech_settings
from signage.queueing.errors import QueueError
from signage.queueing.numbering import office_date
from signage.queueing.speech import call_text, read_number
from signage.queueing.waits import waiting_counts
from signage.store.models import Zone
from signage.store.models_queue import QueueService
from signage.usecases import Actor
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import ACTION_LABELS, actor, lobby, message_of
from signage.web.queue import broadcaster, queue_write

ADMIN = frozenset({"admin"})
NAV.append(NavItem("admin.services", _l("Dịch vụ"), ADMIN, 50))
NAV.append(NavItem("admin.counters", _l("Quầy"), ADMIN, 52))
NAV.append(NavItem("admin.queue_settings", _l("Cài đặt gọi số"), ADMIN, 54))
ACTION_LABELS.update({
    "service.create": lazy_pgettext("audit", "Tạo dịch vụ"),
    "service.update": lazy_pgettext("audit", "Sửa dịch vụ"),
    "service.deactivate": lazy_pgettext("audit", "Tạm dừng dịch vụ"),
    "service.activate": lazy_pgettext("audit", "Mở lại dịch vụ"),
    "counter.create": lazy_pgettext("audit", "Tạo quầy"),
    "counter.update": lazy_pgettext("audit", "Sửa quầy"),
    "counter.deactivate": lazy_pgettext("audit", "Ngừng quầy"),
    "counter.activate": lazy_pgettext("audit", "Mở lại quầy"),
    "queue.settings": lazy_pgettext("audit", "Đổi cài đặt gọi số"),
})

SAMPLE_TICKET, SAMPLE_COUNTER = "A-1005", 3


# ---- changes: one transaction each, with the audit entry ------------------------------

def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, str]:
    """What an edit changed, as the audit page shows it: {"field": "old → new"}."""
    return {key: f"{_shown(before.get(key))} → {_shown(value)}"
            for key, value in after.items() if key != "id" and before.get(key) != value}


def _action(thing: str, changed: dict[str, str], after: dict[str, Any]) -> str:
    if set(changed) == {"active"}:
        return f"{thing}.activate" if after["active"] else f"{thing}.deactivate"
    return f"{thing}.update"


def free_code(session: Any, name: str) -> str:
    """A service code made from its name ("Đất đai" → "DATDAI"), unused so far."""
    base = re.sub(r"[^A-Z0-9]", "", slugify(name).upper())[:24] if name.strip() else ""
    base = base or "DV"
    taken = set(session.scalars(select(QueueService.code)))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _same_prefix(session: Any, service: QueueService) -> list[str]:
    """Other active services numbered with the same letters (their tickets would look alike)."""
    return [s.name for s in catalog.list_services(session, active_only=True)
            if s.prefix == service.prefix and s.id != service.id]


def create_service(lob: Any, who: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """A new service (a taken code is refused here: the page never redefines silently)."""
    now = lob.clock.now()
    with queue_write(lob) as session:
        if not data.get("code"):
            data = {**data, "code": free_code(session, data.get("name") or "")}
        service = catalog.create_service(session, data, now)
        body = catalog.service_json(service)
        record(session, who.name, "service.create", f"service:{service.code}",
               {"name": service.name, "prefix": service.prefix}, who.ip, now)
        body["same_prefix"] = _same_prefix(session, service)
    broadcaster().changed()
    return body


def update_service(lob: Any, who: Actor, code: str, data: dict[str, Any]) -> dict[str, Any]:
    now = lob.clock.now()
    with queue_write(lob) as session:
        before = catalog.service_json(catalog.get_service(session, code))
        service = catalog.update_service(session, code, data)
        body = catalog.service_json(service)
        changed = changes(before, body)
        if changed:
            record(session, who.name, _action("service", changed, body),
                   f"service:{service.code}", changed, who.ip, now)
        body["same_prefix"] = _same_prefix(session, service) if service.active else []
    broadcaster().changed()
    return body


def create_counter(lob: Any, who: Actor, data: dict[str, Any]) -> dict[str, Any]:
    now = lob.clock.now()
    with queue_write(lob) as session:
        counter = catalog.create_counter(session, data, now)
        body = catalog.counter_json(counter)
        record(session, who.name, "counter.create", f"counter:{counter.number}",
               {"name": counter.name, "services": ", ".join(body["services"])}, who.ip, now)
    broadcaster().changed()
    return body


def update_counter(lob: Any, who: Actor, counter_id: int, data: dict[str, Any]) -> dict[str, Any]:
    now = lob.clock.now()
    with queue_write(lob) as session:
        before = catalog.counter_json(catalog.get_counter(session, counter_id))
        counter = catalog.update_counter(session, counter_id, data)
        body = catalog.counter_json(counter)
        changed = changes(before, body)
        if changed:
            record(session, who.name, _action("counter", changed, body),
                   f"counter:{counter.number}", changed, who.ip, now)
    broadcaster().changed()
    return body


def save_speech_settings(lob: Any, who: Actor, values: dict[str, Any]) -> dict[str, Any]:
    now = lob.clock.now()
    with queue_write(lob) as session:
        before = speech_settings(session)
        after = set_speech_settings(session, values)
        changed = changes(before, after)
        if changed:
            record(session, who.name, "queue.settings", "queue:settings", changed, who.ip, now)
    broadcaster().changed()
    return after


# ---- forms ------------------------------------------------------------------------------

def _number(value: str | None) -> int | str | None:
    """A number typed in a form: int, None when empty, else the text as typed (so the
    domain refuses it with its own message)."""
    text = (value or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else text


def service_data(form: MultiDict) -> dict[str, Any]:
    """The service form as the domain takes it (the same fields as the API's JSON)."""
    data: dict[str, Any] = {key: form.get(key, "").strip() for key in ("code", "name", "prefix")}
    for key in ("range_start", "range_end", "daily_cap"):
        data[key] = _number(form.get(key))
    if "position" in form:
        data["position"] = _number(form.get("position"))
    for key in ("opens_at", "closes_at"):
        data[key] = form.get(key, "").strip()
    return data


def counter_data(form: MultiDict) -> dict[str, Any]:
    return {
        "number": _number(form.get("number")),
        "name": form.get("name", "").strip(),
        "officer": form.get("officer", "").strip(),
        "services": form.getlist("services"),
        "zones": form.getlist("zones"),
    }


def form_errors(exc: QueueError) -> tuple[dict[str, str], str | None]:
    """A refusal as ({field: message}, message without a field), in the domain's words.

    The domain names API fields in brackets ("Số bắt đầu (range_start) …"); next to
    the field on a page the bracket only distracts, so it is dropped there.
    """
    message = message_of(exc)
    field = exc.extra.get("field")
    if field:
        return {field: message.replace(f" ({field})", "")}, None
    return {}, message


def _refused(exc: QueueError) -> dict[str, str]:
    errors, general = form_errors(exc)
    flash(general or _("Chưa lưu: hãy sửa các ô được đánh dấu."), "error")
    return errors


def _warn_same_prefix(body: dict[str, Any]) -> None:
    if body.get("same_prefix"):
        flash(_("Đầu số %(prefix)s cũng đang dùng cho: %(names)s. Số của các dịch vụ này sẽ "
                "trùng nhau trên màn hình; nên đặt đầu số khác.",
                prefix=body["prefix"], names="; ".join(body["same_prefix"])), "warning")


# ---- services -------------------------------------------------------------------------

def _service_rows(session: Any) -> list[dict[str, Any]]:
    lob = lobby()
    waiting = waiting_counts(session, office_date(lob.clock.now(), lob.clock.tz))
    serving: dict[str, list[int]] = {}
    for counter in catalog.list_counters(session, active_only=True):
        for service in counter.services:
            serving.setdefault(service.code, []).append(counter.number)
    return [{**catalog.service_json(s), "waiting": waiting.get(s.code, 0),
             "counters": serving.get(s.code, [])} for s in catalog.list_services(session)]


def _services_page(form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                   status: int = 200):
    with lobby().store.read() as session:
        rows = _service_rows(session)
    return render_template("admin/queue/services.html", services=rows,
                           form=form or {"range_start": 1, "range_end": 9999},
                           errors=errors or {}), status


@bp.get("/services")
@roles(ADMIN)
def services():
    return _services_page()


@bp.post("/services")
@roles(ADMIN)
def services_create():
    try:
        body = create_service(lobby(), actor(), service_data(request.form))
    except QueueError as exc:
        return _services_page(form=request.form.to_dict(), errors=_refused(exc), status=422)
    flash(_("Đã tạo dịch vụ %(name)s (đầu số %(prefix)s).", name=body["name"],
            prefix=body["prefix"]), "success")
    _warn_same_prefix(body)
    return redirect(url_for("admin.services"))


def _service_page(code: str, form: dict[str, Any] | None = None,
                  errors: dict[str, str] | None = None, status: int = 200):
    with lobby().store.read() as session:
        try:
            service = catalog.get_service(session, code)
        except QueueError:
            abort(404)
        row = next(r for r in _service_rows(session) if r["id"] == service.id)
    return render_template("admin/queue/service_edit.html", service=row,
                           form=form if form is not None else row, errors=errors or {}), status


@bp.get("/services/<code>")
@roles(ADMIN)
def service_edit(code: str):
    return _service_page(code)


@bp.post("/services/<code>")
@roles(ADMIN)
def service_update(code: str):
    try:
        body = update_service(lobby(), actor(), code, service_data(request.form))
    except QueueError as exc:
        if exc.code == "not_found" and not exc.extra.get("field"):
            abort(404)
        return _service_page(code, form=request.form.to_dict(), errors=_refused(exc), status=422)
    flash(_("Đã lưu dịch vụ %(name)s.", name=body["name"]), "success")
    _warn_same_prefix(body)
    return redirect(url_for("admin.service_edit", code=body["code"]))


@bp.post("/services/<code>/active")
@roles(ADMIN)
def service_active(code: str):
    """Pause (no more numbers at the kiosk; those taken are still served) or resume."""
    active = request.form.get("do") == "resume"
    try:
        body = update_service(lobby(), actor(), code, {"active": active})
    except QueueError as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("admin.services"))
    if active:
        flash(_("Dịch vụ %(name)s lại cấp số ở máy lấy số.", name=body["name"]), "success")
        _warn_same_prefix(body)
    else:
        flash(_("Đã tạm dừng dịch vụ %(name)s: máy lấy số không cấp số mới; "
                "những số đã cấp vẫn được gọi.", name=body["name"]), "success")
    back = request.form.get("back") == "edit"
    return redirect(url_for("admin.service_edit", code=code) if back else url_for("admin.services"))


# ---- counters -------------------------------------------------------------------------

def _choices(session: Any) -> dict[str, Any]:
    """What a counter form offers: services, zones, and operators' names for `officer`."""
    return {
        "all_services": [catalog.service_json(s) for s in catalog.list_services(session)],
        "all_zones": [{"slug": z.slug, "name": z.name}
                      for z in session.scalars(select(Zone).order_by(Zone.id))],
        "officers": [u.name for u in accounts.list_users(session)
                     if u.active and u.role == "operator"],
    }


def _counter_rows(session: Any) -> list[dict[str, Any]]:
    names = {s.code: s.name for s in catalog.list_services(session)}
    zones = {z.slug: z.name for z in session.scalars(select(Zone))}
    rows = []
    for counter in catalog.list_counters(session):
        row = catalog.counter_json(counter)
        row["service_items"] = [{"code": s.code, "name": names.get(s.code, s.code),
                                 "prefix": s.prefix, "active": s.active}
                                for s in counter.services]
        row["zone_names"] = [zones.get(slug, slug) for slug in row["zones"]]
        rows.append(row)
    return rows


def _form_lists(form: MultiDict | dict[str, Any]) -> dict[str, Any]:
    """A posted form back into the shape the template fills the fields from."""
    if isinstance(form, MultiDict):
        return {**form.to_dict(), "services": form.getlist("services"),
                "zones": form.getlist("zones")}
    return form


def _counters_page(form: MultiDict | None = None, errors: dict[str, str] | None = None,
                   status: int = 200):
    with lobby().store.read() as session:
        rows = _counter_rows(session)
        choices = _choices(session)
    if form is None:
        used = {r["number"] for r in rows}
        form_values: dict[str, Any] = {"number": next((n for n in range(1, 1000) if n not in used), ""),
                                       "services": [], "zones": []}
    else:
        form_values = _form_lists(form)
    return render_template("admin/queue/counters.html", counters=rows, form=form_values,
                           errors=errors or {}, **choices), status


@bp.get("/counters")
@roles(ADMIN)
def counters():
    return _counters_page()


@bp.post("/counters")
@roles(ADMIN)
def counters_create():
    try:
        body = create_counter(lobby(), actor(), counter_data(request.form))
    except QueueError as exc:
        return _counters_page(form=request.form, errors=_refused(exc), status=422)
    flash(_("Đã tạo %(name)s.", name=body["name"]), "success")
    if not body["services"]:
        flash(_("%(name)s chưa phục vụ dịch vụ nào: chưa gọi được số.", name=body["name"]),
              "warning")
    return redirect(url_for("admin.counters"))


def _counter_page(counter_id: int, form: MultiDict | None = None,
                  errors: dict[str, str] | None = None, status: int = 200):
    with lobby().store.read() as session:
        row = next((r for r in _counter_rows(session) if r["id"] == counter_id), None)
        if row is None:
            abort(404)
        choices = _choices(session)
    return render_template("admin/queue/counter_edit.html", counter=row,
                           form=row if form is None else _form_lists(form),
                           errors=errors or {}, **choices), status


@bp.get("/counters/<int:counter_id>")
@roles(ADMIN)
def counter_edit(counter_id: int):
    return _counter_page(counter_id)


@bp.post("/counters/<int:counter_id>")
@roles(ADMIN)
def counter_update(counter_id: int):
    try:
        body = update_counter(lobby(), actor(), counter_id, counter_data(request.form))
    except QueueError as exc:
        if exc.code == "not_found" and not exc.extra.get("field"):
            abort(404)
        return _counter_page(counter_id, form=request.form, errors=_refused(exc), status=422)
    flash(_("Đã lưu %(name)s.", name=body["name"]), "success")
    return redirect(url_for("admin.counter_edit", counter_id=counter_id))


@bp.post("/counters/<int:counter_id>/active")
@roles(ADMIN)
def counter_active(counter_id: int):
    active = request.form.get("do") == "activate"
    try:
        body = update_counter(lobby(), actor(), counter_id, {"active": active})
    except QueueError as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("admin.counters"))
    if active:
        flash(_("%(name)s hoạt động lại.", name=body["name"]), "success")
    else:
        flash(_("Đã ngừng %(name)s: quầy không gọi số và không hiện trên màn hình nữa.",
                name=body["name"]), "success")
    back = request.form.get("back") == "edit"
    return redirect(url_for("admin.counter_edit", counter_id=counter_id) if back
                    else url_for("admin.counters"))


# ---- speech settings ------------------------------------------------------------------

def _samples(settings: dict[str, Any]) -> dict[str, str]:
    """How the sample call sounds under each choice, so the admin hears it before saving."""
    zero_ten = settings["zero_ten"]
    return {
        "digits": call_text(SAMPLE_TICKET, SAMPLE_COUNTER, "digits", zero_ten),
        "number": call_text(SAMPLE_TICKET, SAMPLE_COUNTER, "number", zero_ten),
        "lẻ": " ".join(read_number(105, zero_ten="lẻ")),
        "linh": " ".join(read_number(105, zero_ten="linh")),
        "current": call_text(SAMPLE_TICKET, SAMPLE_COUNTER, settings["reading"], zero_ten),
    }


def _settings_page(form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                   status: int = 200):
    with lobby().store.read() as session:
        saved = speech_settings(session)
    return render_template("admin/queue/settings.html", settings=saved,
                           form=form if form is not None else saved, samples=_samples(saved),
                           errors=errors or {}, sample_ticket=SAMPLE_TICKET,
                           sample_counter=SAMPLE_COUNTER), status


@bp.get("/queue-settings")
@roles(ADMIN)
def queue_settings():
    return _settings_page()


@bp.post("/queue-settings")
@roles(ADMIN)
def queue_settings_save():
    form = request.form
    values = {"reading": form.get("reading", ""), "zero_ten": form.get("zero_ten", ""),
              "repeat": _number(form.get("repeat")),
              "overlay_seconds": _number(form.get("overlay_seconds"))}
    try:
        save_speech_settings(lobby(), actor(), values)
    except QueueError as exc:
        return _settings_page(form=form.to_dict(), errors=_refused(exc), status=422)
    flash(_("Đã lưu cài đặt gọi số. Màn hình dùng cài đặt mới từ lần gọi sau."), "success")
    return redirect(url_for("admin.queue_settings"))
