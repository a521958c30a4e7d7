"""/admin/alerts: raise an emergency alert on the lobby screens, end it with one click
(approvers and admins). The form calls the same use case as the API and the CLI."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from signage.errors import SignageError
from signage.usecases.alerts import LEVEL_NAMES, LEVELS, end_alert, list_alerts, raise_alert
from signage.usecases.zones import list_zones
from signage.web.admin import NAV, NavItem, bp, roles
from signage.web.admin.views import ACTION_LABELS, lobby, message_of, perform

NAV.append(NavItem("admin.alerts", _l("Cảnh báo khẩn"), frozenset({"admin", "approver"}), 58))
ACTION_LABELS["alert.raise"] = lazy_pgettext("audit", "Phát cảnh báo khẩn")
ACTION_LABELS["alert.end"] = lazy_pgettext("audit", "Kết thúc cảnh báo khẩn")
ACTION_LABELS["screen.pair"] = lazy_pgettext("audit", "Ghép màn hình bằng mã")
ACTION_LABELS["screen.reload"] = lazy_pgettext("audit", "Tải lại màn hình từ xa")
ACTION_LABELS["screen.identify"] = lazy_pgettext("audit", "Nhận diện màn hình")
ACTION_LABELS["screen.screenshot"] = lazy_pgettext("audit", "Chụp màn hình từ xa")

# How long an alert stays, as the form offers it (seconds); the API takes any 10 s – 7 days.
LIFETIMES = [(900, _l("15 phút")), (1800, _l("30 phút")), (3600, _l("1 giờ")),
             (7200, _l("2 giờ")), (14400, _l("4 giờ")), (28800, _l("8 giờ")),
             (86400, _l("1 ngày"))]


def _page(form: dict | None = None, status: int = 200):
    lob = lobby()
    now = lob.clock.now()
    alerts = lob.query(list_alerts, now, True)
    return render_template(
        "admin/alerts.html", active=[a for a in alerts if a["active"]],
        past=[a for a in alerts if not a["active"]][:20], zones=lob.query(list_zones),
        levels=[(level, _(LEVEL_NAMES[level])) for level in LEVELS],
        level_names={k: _(v) for k, v in LEVEL_NAMES.items()}, lifetimes=LIFETIMES,
        form=form or {}), status


@bp.get("/alerts")
@roles({"approver"})
def alerts():
    return _page()


@bp.post("/alerts")
@roles({"approver"})
def alerts_raise():
    form = request.form
    try:
        expires_in = int(form.get("expires_in", "3600"))
    except ValueError:
        expires_in = form.get("expires_in")
    try:
        alert = perform(raise_alert, {
            "text": form.get("text", ""), "level": form.get("level", "canh-bao"),
            "zones": form.getlist("zones") or None, "expires_in": expires_in,
            "chime": form.get("chime") == "on", "voice": form.get("voice") == "on"})
    except SignageError as exc:
        flash(message_of(exc), "error")
        return _page(form={**form.to_dict(), "zones": form.getlist("zones")}, status=422)
    flash(_("Đã phát cảnh báo: màn hình đang hiện “%(text)s”.", text=alert["text"]), "success")
    return redirect(url_for("admin.alerts"))


@bp.post("/alerts/<int:alert_id>/end")
@roles({"approver"})
def alerts_end(alert_id: int):
    try:
        done = perform(end_alert, alert_id)
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã kết thúc cảnh báo “%(text)s”.", text=done["text"]), "success")
    return redirect(url_for("admin.alerts"))
