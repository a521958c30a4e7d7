"""REST API v1 under /api/v1. Every write goes domain → store → lobby (Hub)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from signage.accounts import CAN_EDIT
from signage.accounts.audit import record
from signage.playlists import service as playlists
from signage.playlists.schedules import ScheduleInvalid
from signage.web.auth import require
from signage.web.errors import ApiError

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _lobby():
    return current_app.extensions["signage"]


def _json_body() -> Any:
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "invalid_json",
                       "Cần gửi nội dung JSON hợp lệ (Content-Type: application/json).")
    return data


def _int_arg(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"Tham số {name} phải là số nguyên.") from None
    return max(lo, min(hi, value))


# ---- notices: signage/web/notices_api.py (routes on this blueprint) -------------------

# ---- zones and playlists --------------------------------------------------------

def _playlist_json(session, zone) -> dict[str, Any]:
    return {
        "zone": zone.slug,
        "slides": [
            {"id": s.id, "notice_id": s.notice["id"], "title": s.notice["title"],
             "kind": s.notice["kind"], "notice_status": s.notice["status"],
             "duration": s.duration, "position": s.position, **s.schedule}
            # Every entry, approved or not: a PUT of what GET returned must not drop a
            # notice that is waiting for approval (screens only ever show approved ones).
            for s in playlists.playlist(session, zone, include_pending=True)
        ],
    }


@bp.get("/zones")
@require()
def list_zones():
    with _lobby().store.read() as session:
        zones = [playlists.get_zone(session, s) for s in playlists.zone_slugs(session)]
        return jsonify({"items": [{"slug": z.slug, "name": z.name} for z in zones]})


@bp.get("/zones/<slug>/playlist")
@require()
def get_playlist(slug: str):
    with _lobby().store.read() as session:
        zone = playlists.get_zone(session, slug)
        if zone is None:
            raise ApiError(404, "not_found", f"Không có khu vực {slug}.")
        return jsonify(_playlist_json(session, zone))


@bp.put("/zones/<slug>/playlist")
@require(CAN_EDIT)
def put_playlist(slug: str):
    """Replace a zone's playlist: {"slides": [{"notice_id": 1, "duration": 15, schedule…}]}."""
    data = _json_body()
    items = data.get("slides") if isinstance(data, dict) else None
    lobby = _lobby()
    try:
        with lobby.store.write() as session:
            zone = playlists.get_zone(session, slug)
            if zone is None:
                raise ApiError(404, "not_found", f"Không có khu vực {slug}.")
            playlists.replace_playlist(session, zone, items)
            body = _playlist_json(session, zone)
            record(session, g.user_name, "notice.schedule", f"zone:{slug}",
                   {"slides": [{k: v for k, v in e.items() if k not in ("title", "kind")}
                               for e in body["slides"]]},
                   ip=request.remote_addr, now=lobby.clock.now())
    except playlists.PlaylistInvalid as exc:
        raise ApiError(422, "validation_failed", str(exc)) from None
    lobby.publisher.playlists_changed([slug])
    return jsonify(body)


@bp.get("/office-hours")
@require()
def get_office_hours():
    with _lobby().store.read() as session:
        return jsonify({"hours": playlists.office_hours_json(session)})


@bp.put("/office-hours")
@require({"admin"})
def put_office_hours():
    """Opening hours per ISO weekday; {"hours": null} means the screens never close."""
    data = _json_body()
    lobby = _lobby()
    try:
        with lobby.store.write() as session:
            hours = playlists.set_office_hours(session, data.get("hours") if isinstance(data, dict) else data)
            record(session, g.user_name, "office.hours", "office", {"hours": hours},
                   ip=request.remote_addr, now=lobby.clock.now())
            slugs = playlists.zone_slugs(session)
    except ScheduleInvalid as exc:
        raise ApiError(422, "validation_failed", str(exc)) from None
    lobby.publisher.playlists_changed(slugs)
    return jsonify({"hours": hours})
