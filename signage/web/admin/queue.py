"""/admin/services, /admin/counters, /admin/queue-settings: how the queue is set up (admin).

Plain forms with the CSRF token, like the other /admin pages, so they work without
JavaScript. They only translate: each POST turns the form's strings into the shape
the API takes (numbers as numbers) and calls the same use case as the API
(signage.usecases.queue), which validates, audits and tells the screens; a refusal
re-renders the form with the reasons next to the fields, in the visitor's language.
Nothing is deleted: a service is paused and a counter deactivated, because tickets
and calls keep pointing at them (the ward's history).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from werkzeug.datastructures import MultiDict

from signage.errors import FieldProblem, Msg, NotFound, SignageError, fill
from signage.queueing.speech import SENTENCE_OPENINGS, call_text, read_number
from signage.usecases import queue as queue_uc
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import ACTION_LABELS, lobby, message_of, perform

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
    "queue.seed": lazy_pgettext("audit", "Nạp dịch vụ và quầy mẫu"),
})

SAMPLE_TICKET, SAMPLE_COUNTER = "A-1005", 3


# ---- forms in, refusals out ---------------------------------------------------------------

def _number(value: str | None) -> int | str | None:
    """A number typed in a form: int, None when empty, else the text as typed (so the
    use case refuses it with its own message)."""
    text = (value or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else text


def service_data(form: MultiDict) -> dict[str, Any]:
    """The service form as the API's JSON."""
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


def _next_to_field(problem: FieldProblem) -> str:
    """A field's problem as one sentence under the field: a reason that is a phrase
    ("phải là số nguyên từ 1 đến 999.") follows the field's name ("Số quầy …"); one
    that is a sentence already ("Đã có quầy số 1.") stands alone."""
    reason = fill(problem.message, problem.params, _)
    if not problem.labels or not reason[:1].islower():
        return reason
    names = [label.text(_) if isinstance(label, Msg) else _(label) for label in problem.labels]
    return " › ".join(names) + " " + reason


def form_errors(exc: SignageError) -> tuple[dict[str, str], str | None]:
    """A refusal as ({field: message}, a message that belongs to no field)."""
    errors: dict[str, str] = {}
    for problem in exc.fields:
        errors.setdefault(problem.field.split(".")[0], _next_to_field(problem))
    return errors, (None if errors else message_of(exc))


def _refused(exc: SignageError) -> dict[str, str]:
    errors, general = form_errors(exc)
    flash(general or _("Chưa lưu: hãy sửa các ô được đánh dấu."), "error")
    return errors


def _warn_same_prefix(service: dict[str, Any]) -> None:
    names = lobby().query(queue_uc.services_sharing_prefix, service["code"])
    if names:
        flash(_("Đầu số %(prefix)s cũng đang dùng cho: %(names)s. Số của các dịch vụ này sẽ "
                "trùng nhau trên màn hình; nên đặt đầu số khác.",
                prefix=service["prefix"], names="; ".join(names)), "warning")


def _missing(exc: SignageError) -> bool:
    """The thing the page is about does not exist (not: a value in the form names none)."""
    return isinstance(exc, NotFound) and not exc.fields


# ---- services -------------------------------------------------------------------------

def _service_rows() -> list[dict[str, Any]]:
    lob = lobby()
    return lob.query(queue_uc.service_rows, lob.clock.now(), lob.clock.tz)


def _services_page(form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                   status: int = 200):
    return render_template("admin/queue/services.html", services=_service_rows(),
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
        body = perform(queue_uc.create_service, service_data(request.form))
    except SignageError as exc:
        return _services_page(form=request.form.to_dict(), errors=_refused(exc), status=422)
    flash(_("Đã tạo dịch vụ %(name)s (đầu số %(prefix)s).", name=body["name"],
            prefix=body["prefix"]), "success")
    _warn_same_prefix(body)
    return redirect(url_for("admin.services"))


def _service_page(code: str, form: dict[str, Any] | None = None,
                  errors: dict[str, str] | None = None, status: int = 200):
    row = next((r for r in _service_rows() if r["code"] == code), None)
    if row is None:
        abort(404)
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
        body = perform(queue_uc.update_service, code, service_data(request.form))
    except SignageError as exc:
        if _missing(exc):
            abort(404)
        return _service_page(code, form=request.form.to_dict(), errors=_refused(exc), status=422)
    flash(_("Đã lưu dịch vụ %(name)s.", name=body["name"]), "success")
    _warn_same_prefix(body)
    return redirect(url_for("admin.service_edit", code=body["code"]))


@bp.post("/services/<code>/active")
@roles(ADMIN)
def service_active(code: str):
    """Pause (no more numbers at the kiosk; those taken are still served) or resume."""
    resume = request.form.get("do") == "resume"
    try:
        body = perform(queue_uc.resume_service if resume else queue_uc.pause_service, code)
    except SignageError as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("admin.services"))
    if resume:
        flash(_("Dịch vụ %(name)s lại cấp số ở máy lấy số.", name=body["name"]), "success")
        _warn_same_prefix(body)
    else:
        flash(_("Đã tạm dừng dịch vụ %(name)s: máy lấy số không cấp số mới; "
                "những số đã cấp vẫn được gọi.", name=body["name"]), "success")
    back = request.form.get("back") == "edit"
    return redirect(url_for("admin.service_edit", code=code) if back else url_for("admin.services"))


# ---- counters -------------------------------------------------------------------------

def _form_lists(form: MultiDict | dict[str, Any]) -> dict[str, Any]:
    """A posted form back into the shape the template fills the fields from."""
    if isinstance(form, MultiDict):
        return {**form.to_dict(), "services": form.getlist("services"),
                "zones": form.getlist("zones")}
    return form


def _counters_page(form: MultiDict | None = None, errors: dict[str, str] | None = None,
                   status: int = 200):
    lob = lobby()
    rows = lob.query(queue_uc.counter_rows)
    if form is None:
        used = {r["number"] for r in rows}
        form_values: dict[str, Any] = {"number": next((n for n in range(1, 1000) if n not in used), ""),
                                       "services": [], "zones": []}
    else:
        form_values = _form_lists(form)
    return render_template("admin/queue/counters.html", counters=rows, form=form_values,
                           errors=errors or {}, **lob.query(queue_uc.counter_choices)), status


@bp.get("/counters")
@roles(ADMIN)
def counters():
    return _counters_page()


@bp.post("/counters")
@roles(ADMIN)
def counters_create():
    try:
        body = perform(queue_uc.create_counter, counter_data(request.form))
    except SignageError as exc:
        return _counters_page(form=request.form, errors=_refused(exc), status=422)
    flash(_("Đã tạo %(name)s.", name=body["name"]), "success")
    if not body["services"]:
        flash(_("%(name)s chưa phục vụ dịch vụ nào: chưa gọi được số.", name=body["name"]),
              "warning")
    return redirect(url_for("admin.counters"))


def _counter_page(counter_id: int, form: MultiDict | None = None,
                  errors: dict[str, str] | None = None, status: int = 200):
    lob = lobby()
    row = next((r for r in lob.query(queue_uc.counter_rows) if r["id"] == counter_id), None)
    if row is None:
        abort(404)
    return render_template("admin/queue/counter_edit.html", counter=row,
                           form=row if form is None else _form_lists(form),
                           errors=errors or {}, **lob.query(queue_uc.counter_choices)), status


@bp.get("/counters/<int:counter_id>")
@roles(ADMIN)
def counter_edit(counter_id: int):
    return _counter_page(counter_id)


@bp.post("/counters/<int:counter_id>")
@roles(ADMIN)
def counter_update(counter_id: int):
    try:
        body = perform(queue_uc.update_counter, counter_id, counter_data(request.form))
    except SignageError as exc:
        if _missing(exc):
            abort(404)
        return _counter_page(counter_id, form=request.form, errors=_refused(exc), status=422)
    flash(_("Đã lưu %(name)s.", name=body["name"]), "success")
    return redirect(url_for("admin.counter_edit", counter_id=counter_id))


@bp.post("/counters/<int:counter_id>/active")
@roles(ADMIN)
def counter_active(counter_id: int):
    active = request.form.get("do") == "activate"
    try:
        body = perform(queue_uc.set_counter_active, counter_id, active)
    except SignageError as exc:
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
    zero_ten, thousand, sentence = settings["zero_ten"], settings["thousand"], settings["sentence"]
    words = {"thousand": thousand, "sentence": sentence}
    return {
        "digits": call_text(SAMPLE_TICKET, SAMPLE_COUNTER, "digits", zero_ten, **words),
        "number": call_text(SAMPLE_TICKET, SAMPLE_COUNTER, "number", zero_ten, **words),
        "lẻ": " ".join(read_number(105, zero_ten="lẻ")),
        "linh": " ".join(read_number(105, zero_ten="linh")),
        "nghìn": " ".join(read_number(1005, zero_ten=zero_ten, thousand="nghìn")),
        "ngàn": " ".join(read_number(1005, zero_ten=zero_ten, thousand="ngàn")),
        **{name: call_text(SAMPLE_TICKET, SAMPLE_COUNTER, settings["reading"], zero_ten,
                           thousand=thousand, sentence=name) for name in SENTENCE_OPENINGS},
        "current": call_text(SAMPLE_TICKET, SAMPLE_COUNTER, settings["reading"], zero_ten, **words),
    }


def _settings_page(form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                   status: int = 200):
    saved = lobby().query(queue_uc.get_speech_settings)
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
    # A choice the form did not send stays as it is (the settings given change).
    values = {key: form[key] for key in ("reading", "zero_ten", "thousand", "sentence")
              if key in form}
    values.update(repeat=_number(form.get("repeat")),
                  overlay_seconds=_number(form.get("overlay_seconds")))
    try:
        perform(queue_uc.update_speech_settings, values)
    except SignageError as exc:
        return _settings_page(form=form.to_dict(), errors=_refused(exc), status=422)
    flash(_("Đã lưu cài đặt gọi số. Màn hình dùng cài đặt mới từ lần gọi sau."), "success")
    return redirect(url_for("admin.queue_settings"))
