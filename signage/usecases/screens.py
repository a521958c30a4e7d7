"""Lobby screens (TVs): added into an existing zone with a fresh key, revoked for good."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from signage.errors import N_, NotFound
from signage.events import ScreenRevoked
from signage.notices.schema import Line
from signage.playlists.screens import ORIENTATIONS, new_screens
from signage.playlists.service import DEFAULT_ZONE
from signage.store.models import Screen
from signage.usecases import ADMIN, Change
from signage.usecases.zones import ZoneSlug, zone_named
from signage.validation import Model, Output, parse

ScreenName = Annotated[Line, Field(title=N_("Tên màn hình"), min_length=1, max_length=200)]
Orientation = Annotated[Literal["landscape", "portrait"], Field(
    title=N_("Hướng màn hình"),
    description=N_("phải là landscape (ngang) hoặc portrait (dọc)."))]


class ScreensIn(Model):
    """One screen per name, all in one zone (which must exist)."""

    names: list[ScreenName] = Field(title=N_("Tên màn hình"), min_length=1, max_length=100)
    zone: ZoneSlug = DEFAULT_ZONE
    orientation: Orientation = "landscape"


class ScreenAdded(Output):
    id: int
    name: str
    key: str = Field(description="the screen's secret, in its URL; shown once")
    zone: str
    orientation: str
    url: str


class ScreenOut(Output):
    id: int
    name: str
    zone: str
    zone_name: str
    orientation: str
    revoked: bool
    revoked_at: str | None
    created_at: str | None
    connected: int = Field(description="open sockets in the answering process")
    url: str


class ScreenRevokedOut(Output):
    id: int
    name: str
    revoked: bool
    dropped: int = Field(0, description="sockets closed in the answering process")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def screen_json(screen: Screen) -> dict[str, Any]:
    """A screen as staff see it (with its key: only admins read this)."""
    return {"id": screen.id, "name": screen.name, "key": screen.key, "zone": screen.zone.slug,
            "zone_name": screen.zone.name, "orientation": screen.orientation,
            "revoked": screen.revoked_at is not None, "revoked_at": _iso(screen.revoked_at),
            "created_at": _iso(screen.created_at)}


# ---- changes --------------------------------------------------------------------------

def add_screens(change: Change, data: Any) -> list[dict[str, Any]]:
    """Add one screen per name into an existing zone; their keys, in the names' order."""
    change.require(ADMIN)
    spec = parse(ScreensIn, data)
    zone = zone_named(change.session, spec.zone, field="zone")
    screens = new_screens(change.session, spec.names, zone, spec.orientation, change.now)
    for screen in screens:
        change.audit("screen.add", f"screen:{screen.id}",
                     {"name": screen.name, "zone": zone.slug, "orientation": screen.orientation})
    return [{"id": s.id, "name": s.name, "key": s.key, "zone": zone.slug,
             "orientation": s.orientation} for s in screens]


def revoke_screen(change: Change, screen_id: int) -> dict[str, Any]:
    """Revoke a screen's key: its sockets close and it can never connect again.
    Revoking twice changes nothing (and writes no second audit entry)."""
    change.require(ADMIN)
    screen = change.session.get(Screen, screen_id)
    if screen is None:
        raise NotFound(N_("Không có màn hình số %(id)s."), id=screen_id)
    if screen.revoked_at is None:
        screen.revoked_at = change.now
        change.audit("screen.revoke", f"screen:{screen.id}", {"name": screen.name})
        change.emit(ScreenRevoked(screen.id))
    return {"id": screen.id, "name": screen.name, "revoked": True}


# ---- reading --------------------------------------------------------------------------

def list_screens(session: Session) -> list[dict[str, Any]]:
    """Every screen, revoked ones too, in the order they were added."""
    return [screen_json(s) for s in session.scalars(
        select(Screen).options(joinedload(Screen.zone)).order_by(Screen.id))]


def screen_for_key(session: Session, key: str) -> dict[str, Any] | None:
    """The screen with this key, unless revoked (what a TV's page and socket check)."""
    if not key or len(key) > 64:
        return None
    screen = session.scalar(select(Screen).options(joinedload(Screen.zone))
                            .where(Screen.key == key, Screen.revoked_at.is_(None)))
    return screen_json(screen) if screen is not None else None


ORIENTATION_CHOICES = ORIENTATIONS
