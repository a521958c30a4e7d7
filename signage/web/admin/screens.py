"""/admin/screens and /admin/zones: the lobby's TVs and the areas they belong to (admin only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from signage.playlists.screens import ORIENTATIONS, ScreenError, list_screens
from signage.web.admin import bp, roles
from signage.web.admin.actions import (
    ZoneError,
    add_screen,
    connected_by_screen,
    create_zone,
    rename_zone,
    revoke,
    zones_with_counts,
)
from signage.web.admin.views import actor, lobby, message_of


def _screens_page(added: dict | None = None, form: dict | None = None, status: int = 200):
    lob = lobby()
    connected = connected_by_screen(lob)
    with lob.store.read() as db:
        screens = [{
            "id": s.id, "name": s.name, "zone": s.zone.name, "zone_slug": s.zone.slug,
            "orientation": s.orientation, "revoked": s.revoked_at is not None,
            "revoked_at": s.revoked_at, "created_at": s.created_at,
            "connected": connected.get(s.id, 0),
            "url": url_for("screen.page", key=s.key, _external=True),
        } for s in list_screens(db)]
        zones = zones_with_counts(db)
    screens.sort(key=lambda s: (s["revoked"], s["id"]))
    return render_template("admin/screens.html", screens=screens, zones=zones, added=added,
                           orientations=ORIENTATIONS, form=form or {}), status


@bp.get("/screens")
@roles({"admin"})
def screens():
    return _screens_page()


@bp.post("/screens")
@roles({"admin"})
def screens_add():
    form = request.form
    try:
        added = add_screen(lobby(), actor(), form.get("name", ""), form.get("zone", ""),
                           form.get("orientation", "landscape"))
    except ScreenError as exc:
        flash(message_of(exc), "error")
        return _screens_page(form=dict(form), status=422)
    added["url"] = url_for("screen.page", key=added["key"], _external=True)
    # The key is shown on this response only (PRG would need to keep it somewhere).
    flash(_("Đã thêm màn hình %(name)s.", name=added["name"]), "success")
    return _screens_page(added=added)


@bp.post("/screens/<int:screen_id>/revoke")
@roles({"admin"})
def screens_revoke(screen_id: int):
    try:
        result = revoke(lobby(), actor(), screen_id)
    except ScreenError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã thu hồi màn hình %(name)s; màn hình đó không kết nối lại được nữa.",
                name=result["name"]), "success")
    return redirect(url_for("admin.screens"))


@bp.get("/zones")
@roles({"admin"})
def zones():
    with lobby().store.read() as db:
        rows = zones_with_counts(db)
    return render_template("admin/zones.html", zones=rows, form={})


@bp.post("/zones")
@roles({"admin"})
def zones_create():
    form = request.form
    try:
        zone = create_zone(lobby(), actor(), form.get("name", ""), form.get("slug") or None)
    except ZoneError as exc:
        flash(message_of(exc), "error")
        with lobby().store.read() as db:
            rows = zones_with_counts(db)
        return render_template("admin/zones.html", zones=rows, form=dict(form)), 422
    flash(_("Đã tạo khu vực %(name)s.", name=zone["name"]), "success")
    return redirect(url_for("admin.zones"))


@bp.post("/zones/<slug>")
@roles({"admin"})
def zones_rename(slug: str):
    try:
        zone = rename_zone(lobby(), actor(), slug, request.form.get("name", ""))
    except ZoneError as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("Đã đổi tên khu vực thành %(name)s.", name=zone["name"]), "success")
    return redirect(url_for("admin.zones"))
