"""The playlist editor's part of /api/v1: what a zone shows now, every entry of its
playlist (approved or not), and the office's welcome card.

`PUT /zones/<slug>/playlist` and `/office-hours` live in signage.web.api; the admin
page (signage/web/admin/playlists.py) uses those and these, so everything it does is
in the API too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from signage.accounts import CAN_EDIT
from signage.accounts.audit import record
from signage.playlists import service as playlists
from signage.store.models import Slide, Zone
from signage.web.auth import require
from signage.web.errors import ApiError

bp = Blueprint("playlists_api", __name__, url_prefix="/api/v1")


def _lobby():
    return current_app.extensions["signage"]


def _zone(session: Session, slug: str) -> Zone:
    zone = playlists.get_zone(session, slug)
    if zone is None:
        raise ApiError(404, "not_found", f"Không có khu vực {slug}.")
    return zone


def playlist_entries(session: Session, zone: Zone) -> list[dict[str, Any]]:
    """Every entry of a zone's playlist in order, whatever its notice's status.

    `GET /zones/<slug>/playlist` lists what screens show (approved notices only); an
    editor replacing the playlist needs the others too, or a save would drop a notice
    that is waiting for approval from the zone.
    """
    slides = session.scalars(
        select(Slide).where(Slide.zone_id == zone.id)
        .options(selectinload(Slide.notice))
        .order_by(Slide.position, Slide.id))
    return [{
        "id": s.id, "notice_id": s.notice_id, "title": s.notice.title, "kind": s.notice.kind,
        "code": s.notice.code, "notice_status": s.notice.status, "duration": s.duration_s,
        "position": s.position, **playlists.schedule_json(s),
    } for s in slides]


def now_json(session: Session, zone: Zone, now: datetime, tz: Any) -> dict[str, Any]:
    """What the zone's screens show at `now`: a slide, the welcome card, or the closed card."""
    showing = playlists.current(session, zone, now, tz)
    by_id = {s.id: s for s in playlists.playlist(session, zone)}

    def brief(slide_id: int) -> dict[str, Any]:
        s = by_id[slide_id]
        return {"id": s.id, "notice_id": s.notice["id"], "title": s.notice["title"],
                "kind": s.notice["kind"], "duration": s.duration}

    if showing is None or (showing.slide_id is None and not showing.closed):
        state = "welcome"
    else:
        state = "closed" if showing.closed else "slide"
    return {
        "zone": zone.slug,
        "at": now.isoformat(),
        "state": state,
        "showing": playlists.showing_json(showing),
        "slide": brief(showing.slide_id) if showing and showing.slide_id in by_id else None,
        "active": [brief(i) for i in (showing.active if showing else ()) if i in by_id],
    }


@bp.get("/zones/<slug>/now")
@require()
def zone_now(slug: str):
    lobby = _lobby()
    with lobby.store.read() as session:
        return jsonify(now_json(session, _zone(session, slug), lobby.clock.now(), lobby.clock.tz))


@bp.get("/zones/<slug>/playlist/entries")
@require(CAN_EDIT)
def zone_entries(slug: str):
    with _lobby().store.read() as session:
        zone = _zone(session, slug)
        return jsonify({"zone": zone.slug, "slides": playlist_entries(session, zone)})


@bp.get("/office")
@require()
def get_office():
    with _lobby().store.read() as session:
        return jsonify(playlists.office(session))


@bp.patch("/office")
@require({"admin"})
def patch_office():
    """The welcome card's texts ({"welcome_title", "welcome_text"}; "" = the default)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json",
                       "Cần gửi một đối tượng JSON (Content-Type: application/json).")
    lobby = _lobby()
    try:
        with lobby.store.write() as session:
            office = playlists.set_welcome(session, data)
            record(session, g.user_name, "office.welcome", "office",
                   {k: office[k] for k in data}, request.remote_addr, lobby.clock.now())
    except playlists.OfficeInvalid as exc:
        raise ApiError(422, "validation_failed", str(exc)) from None
    # Screens read the office texts from their snapshot (`office`), so a screen shows
    # these from its next snapshot on: its next connection or resync. No event carries
    # `office` yet (protocol 1), and reloading every TV would relock its sound.
    return jsonify(office)


def openapi_paths() -> dict[str, Any]:
    """This blueprint's entries in /api/v1/openapi.json."""
    def json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    error = {"$ref": "#/components/schemas/Error"}
    zone_param = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    brief = {"type": "object", "properties": {
        "id": {"type": "integer", "description": "slide id"}, "notice_id": {"type": "integer"},
        "title": {"type": "string"}, "kind": {"enum": ["procedure", "law"]},
        "duration": {"type": "integer"}}}
    office = {"type": "object", "properties": {
        "ward_name": {"type": "string"}, "office_name": {"type": "string"},
        "welcome_title": {"type": "string", "maxLength": 80,
                          "description": "the card shown when nothing is scheduled"},
        "welcome_text": {"type": "string", "maxLength": 200}}}
    return {
        "/zones/{slug}/now": {
            "parameters": [zone_param],
            "get": {"summary": "What the zone's screens show now",
                    "description": "state: slide | welcome (nothing scheduled) | closed "
                                   "(outside office hours). showing is the rotation's answer "
                                   "(slide until when, the active set); slide and active name "
                                   "the slides.",
                    "responses": {"200": json({"type": "object", "properties": {
                        "zone": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                        "state": {"enum": ["slide", "welcome", "closed"]},
                        "showing": {"type": ["object", "null"], "properties": {
                            "index": {"type": "integer"}, "slide_id": {"type": ["integer", "null"]},
                            "started": {"type": "string", "format": "date-time"},
                            "until": {"type": "string", "format": "date-time"},
                            "active": {"type": "array", "items": {"type": "integer"}},
                            "closed": {"type": "boolean"}}},
                        "slide": {"oneOf": [brief, {"type": "null"}]},
                        "active": {"type": "array", "items": brief}}}),
                        "404": json(error)}}},
        "/zones/{slug}/playlist/entries": {
            "parameters": [zone_param],
            "get": {"summary": "Every entry of a zone's playlist, for editing (editor)",
                    "description": "Like GET /zones/{slug}/playlist, but also the entries whose "
                                   "notice is not approved yet (notice_status), which screens "
                                   "skip. PUT /zones/{slug}/playlist takes these items back.",
                    "responses": {"200": json({"$ref": "#/components/schemas/Playlist"}),
                                  "404": json(error)}}},
        "/office": {
            "get": {"summary": "The office's names and welcome card",
                    "responses": {"200": json(office)}},
            "patch": {"summary": "Change the welcome card's texts (admin)",
                      "description": "An empty string restores the default text.",
                      "requestBody": {"required": True, "content": {"application/json": {
                          "schema": {"type": "object", "properties": {
                              "welcome_title": {"type": "string", "maxLength": 80},
                              "welcome_text": {"type": "string", "maxLength": 200}}}}}},
                      "responses": {"200": json(office), "422": json(error, "Invalid")}}},
    }
