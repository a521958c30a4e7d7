"""Lobby screens: each belongs to a zone and proves itself with the key in its URL."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from signage.playlists.service import DEFAULT_ZONE, ensure_zone
from signage.store.models import Screen

ORIENTATIONS = ("landscape", "portrait")


class ScreenError(ValueError):
    pass


def add_screens(session: Session, names: list[str], zone_slug: str = DEFAULT_ZONE,
                orientation: str = "landscape", *, now: datetime) -> list[Screen]:
    """One screen per name, in order, each with a fresh unguessable key."""
    if orientation not in ORIENTATIONS:
        raise ScreenError("Hướng màn hình phải là landscape (ngang) hoặc portrait (dọc).")
    names = [n.strip() for n in names]
    if not names or any(not n or len(n) > 200 for n in names):
        raise ScreenError("Tên màn hình không được để trống và không quá 200 ký tự.")
    zone = ensure_zone(session, zone_slug)
    screens = [Screen(name=n, key=secrets.token_urlsafe(18), zone_id=zone.id,
                      orientation=orientation, created_at=now) for n in names]
    session.add_all(screens)
    session.flush()
    return screens


def screen_by_key(session: Session, key: str) -> Screen | None:
    """The screen with this key, unless revoked."""
    if not key or len(key) > 64:
        return None
    return session.scalar(
        select(Screen).options(joinedload(Screen.zone))
        .where(Screen.key == key, Screen.revoked_at.is_(None))
    )


def list_screens(session: Session) -> list[Screen]:
    return list(session.scalars(select(Screen).options(joinedload(Screen.zone)).order_by(Screen.id)))


def revoke_screen(session: Session, screen_id: int, now: datetime) -> Screen:
    screen = session.get(Screen, screen_id)
    if screen is None:
        raise ScreenError(f"Không có màn hình số {screen_id}.")
    screen.revoked_at = now
    return screen
