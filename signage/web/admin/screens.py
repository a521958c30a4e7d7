"""/admin/screens and /admin/zones: the lobby's TVs and the areas they belong to (admin only).

Forms only translate: each POST calls the same use case as the API and the CLI
(signage.usecases.screens, .zones); a refusal re-renders the page with the message.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from signage.errors import SignageError
from signage.usecases.kiosks import add_kiosk, list_kiosks, revoke_kiosk
from signage.usecases.pairing import pair_screen
from signage.usecases.screens import ORIENTATION_CHOICES, add_screens, list_screens, revoke_screen
from signage.usecases.zones import create_zone, list_zones, rename_zone
from signage.web.admin import bp, roles
from signage.web.admin.views import lobby, message_of, perform


def _screen_url(key: str) -> str:
    return url_for("screen.page", key=key, _external=True)


def _screens_page(added: dict | None = None, form: dict | None = None, status: int = 200,
                  pair_form: dict | None = None):
    lob = lobby()
    connected = lob.publisher.connected_by_screen()
    screens: list[dict[str, Any]] = [
        {**s, "zone": s["zone_name"], "zone_slug": s["zone"], "url": _screen_url(s["key"]),
         "connected": connected.get(s["id"], 0)}
        for s in lob.query(list_screens)]
    screens.sort(key=lambda s: (s["revoked"], s["id"]))
    return render_template("admin/screens.html", screens=screens, zones=lob.query(list_zones),
                           added=added, orientations=ORIENTATION_CHOICES,
                           form=form or {}, pair_form=pair_form or {}), status


@bp.get("/screens")
@roles({"admin"})
def screens():
    return _screens_page()


@bp.post("/screens")
@roles({"admin"})
def screens_add():
    form = request.form
    try:
        [added] = perform(add_screens, {"names": [form.get("name", "")],
                                        "zone": form.get("zone", ""),
                                        "orientation": form.get("orientation", "landscape")})
    except SignageError as exc:
        flash(message_of(exc), "error")
        return _screens_page(form=dict(form), status=422)
    added["url"] = _screen_url(added["key"])
    # The key is shown on this response only (PRG would need to keep it somewhere).
    flash(_("Đã thêm màn hình %(name)s.", name=added["name"]), "success")
    return _screens_page(added=added)


@bp.post("/screens/pair")
@roles({"admin"})
def screens_pair():
    form = request.form
    try:
        paired = perform(pair_screen, {"code": form.get("code", ""), "name": form.get("name", ""),
                                       "zone": form.get("zone", ""),
                                       "orientation": form.get("orientation", "landscape")})
    except SignageError as exc:
        flash(message_of(exc), "error")
        return _screens_page(pair_form=dict(form), status=422)
    flash(_("Đã ghép TV thành màn hình %(name)s; TV đang chuyển sang nội dung của khu vực.",
            name=paired["name"]), "success")
    return redirect(url_for("admin.screens"))


@bp.post("/screens/<int:screen_id>/revoke")
@roles({"admin"})
def screens_revoke(screen_id: int):
    try:
        result = perform(revoke_screen, screen_id)
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã thu hồi màn hình %(name)s; màn hình đó không kết nối lại được nữa.",
                name=result["name"]), "success")
    return redirect(url_for("admin.screens"))


@bp.get("/zones")
@roles({"admin"})
def zones():
    return render_template("admin/zones.html", zones=lobby().query(list_zones), form={})


@bp.post("/zones")
@roles({"admin"})
def zones_create():
    form = request.form
    try:
        zone = perform(create_zone, {"name": form.get("name", ""), "slug": form.get("slug", "")})
    except SignageError as exc:
        flash(message_of(exc), "error")
        return render_template("admin/zones.html", zones=lobby().query(list_zones),
                               form=dict(form)), 422
    flash(_("Đã tạo khu vực %(name)s.", name=zone["name"]), "success")
    return redirect(url_for("admin.zones"))


@bp.post("/zones/<slug>")
@roles({"admin"})
def zones_rename(slug: str):
    try:
        zone = perform(rename_zone, slug, {"name": request.form.get("name", "")})
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã đổi tên khu vực thành %(name)s.", name=zone["name"]), "success")
    return redirect(url_for("admin.zones"))


# ---- kiosks ---------------------------------------------------------------------------

def _kiosk_url(key: str) -> str:
    return url_for("queue.kiosk", key=key, _external=True)


def _kiosks_page(added: dict | None = None, form: dict | None = None, status: int = 200):
    kiosks = [{**k, "url": _kiosk_url(k["key"])} for k in lobby().query(list_kiosks)]
    kiosks.sort(key=lambda k: (k["revoked"], k["id"]))
    return render_template("admin/kiosks.html", kiosks=kiosks, added=added,
                           form=form or {}), status


@bp.get("/kiosks")
@roles({"admin"})
def kiosks():
    return _kiosks_page()


@bp.post("/kiosks")
@roles({"admin"})
def kiosks_add():
    try:
        added = perform(add_kiosk, {"name": request.form.get("name", "")})
    except SignageError as exc:
        flash(message_of(exc), "error")
        return _kiosks_page(form=dict(request.form), status=422)
    added["url"] = _kiosk_url(added["key"])
    flash(_("Đã đăng ký máy lấy số %(name)s.", name=added["name"]), "success")
    return _kiosks_page(added=added)


@bp.post("/kiosks/<int:kiosk_id>/revoke")
@roles({"admin"})
def kiosks_revoke(kiosk_id: int):
    try:
        done = perform(revoke_kiosk, kiosk_id)
    except SignageError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã thu hồi máy lấy số %(name)s.", name=done["name"]), "success")
    return redirect(url_for("admin.kiosks"))
