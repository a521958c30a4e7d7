"""Lobby screens: each belongs to a zone and proves itself with the key in its URL."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from signage.store.models import Screen, Zone

ORIENTATIONS = ("landscape", "portrait")


def new_screens(session: Session, names: list[str], zone: Zone, orientation: str,
                now: datetime) -> list[Screen]:
    """One screen per name, in order, each with a fresh unguessable key."""
    screens = [Screen(name=n, key=secrets.token_urlsafe(18), zone_id=zone.id,
                      orientation=orientation, created_at=now) for n in names]
    session.add_all(screens)
    session.flush()
    for screen in screens:
        screen.zone = zone
    return screens
