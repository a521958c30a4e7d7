"""What an admin changes — users, screens, zones — done the same way from a page or the API.

Each function is one write transaction: the change and its audit entry commit
together. Screen revocation also closes that screen's open sockets, after commit.
Both the /admin views and the /api/v1 handlers call these, so the two never drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from signage import accounts
from signage.accounts import N_, AccountError
from signage.accounts.audit import record
from signage.notices.schema import slugify
from signage.playlists import service as playlists
from signage.playlists.screens import ScreenError, add_screens, revoke_screen
from signage.store.models import Screen, User, Zone

ZONE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Actor:
    """Who does it and from where, for the audit log."""

    name: str
    ip: str | None = None


class ZoneError(ValueError):
    """A zone change that is not allowed; `message % params` is the Vietnamese text."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message, self.params = message, params
        super().__init__(message % params if params else message)


class ZoneExists(ZoneError):
    pass


class ZoneNotFound(ZoneError):
    pass


# ---- users ------------------------------------------------------------------------

def user_json(user: User, last_login: Any = None) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role,
        "active": bool(user.active),
        "created_at": user.created_at.isoformat() if user.created_at else None,
        "last_login_at": last_login.isoformat() if last_login else None,
    }


def create_user(lobby: Any, actor: Actor, name: str, role: str, password: str) -> dict[str, Any]:
    now = lobby.clock.now()
    with lobby.store.write() as session:
        user = accounts.add_user(session, (name or "").strip(), role, password or "", now)
        record(session, actor.name, "user.create", f"user:{user.name}", {"role": role},
               actor.ip, now)
        return user_json(user)


def update_user(lobby: Any, actor: Actor, user_id: int, *, role: str | None = None,
                active: bool | None = None, password: str | None = None) -> dict[str, Any]:
    """Change any of role, active, password; one audit entry per thing changed."""
    now = lobby.clock.now()
    with lobby.store.write() as session:
        user = accounts.get_user(session, user_id)
        target = f"user:{user.name}"
        if role is not None and role != user.role:
            before = user.role
            accounts.set_role(session, user, role)
            record(session, actor.name, "user.role", target, {"from": before, "to": role},
                   actor.ip, now)
        if active is not None and bool(active) != user.active:
            if not active and user.name == actor.name:
                raise AccountError(N_("Không thể tự khóa tài khoản của chính mình."))
            accounts.set_active(session, user, bool(active))
            record(session, actor.name, "user.activate" if active else "user.deactivate",
                   target, None, actor.ip, now)
        if password is not None:
            accounts.set_password(user, password)
            record(session, actor.name, "user.password", target, None, actor.ip, now)
        return user_json(user)


# ---- screens ----------------------------------------------------------------------

def connected_by_screen(lobby: Any) -> dict[int, int]:
    """How many open sockets each screen has (in this process's Hub)."""
    counts: dict[int, int] = {}
    for peer in lobby.hub.peers():
        sid = peer.info.get("screen_id")
        counts[sid] = counts.get(sid, 0) + 1
    return counts


def add_screen(lobby: Any, actor: Actor, name: str, zone: str,
               orientation: str) -> dict[str, Any]:
    now = lobby.clock.now()
    with lobby.store.write() as session:
        if playlists.get_zone(session, zone) is None:
            raise ScreenError(f"Không có khu vực {zone}.")
        screen = add_screens(session, [name or ""], zone, orientation, now=now)[0]
        record(session, actor.name, "screen.add", f"screen:{screen.id}",
               {"name": screen.name, "zone": zone, "orientation": orientation}, actor.ip, now)
        return {"id": screen.id, "name": screen.name, "key": screen.key, "zone": zone,
                "orientation": screen.orientation}


def revoke(lobby: Any, actor: Actor, screen_id: int) -> dict[str, Any]:
    """Revoke a screen's key and close its open sockets (1008): it can never reconnect."""
    now = lobby.clock.now()
    with lobby.store.write() as session:
        screen = session.get(Screen, screen_id)
        if screen is None or screen.revoked_at is None:  # revoking twice changes nothing
            screen = revoke_screen(session, screen_id, now)
            record(session, actor.name, "screen.revoke", f"screen:{screen.id}",
                   {"name": screen.name}, actor.ip, now)
        body = {"id": screen.id, "name": screen.name, "revoked": True}
    # After commit: a screen that reconnects in between is refused by the gate.
    # With several workers (RedisHub) a socket held by another process is only seen
    # there; it ends at its next reconnect, which the revoked key can no longer pass.
    dropped = 0
    for peer in lobby.hub.peers():
        if peer.info.get("screen_id") == screen_id:
            lobby.hub.drop(peer, 1008, "revoked")
            dropped += 1
    body["dropped"] = dropped
    return body


# ---- zones ------------------------------------------------------------------------

def zone_json(zone: Zone, screens: int = 0) -> dict[str, Any]:
    return {"id": zone.id, "slug": zone.slug, "name": zone.name, "screens": screens}


def _zone_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ZoneError(N_("Tên khu vực không được để trống và không quá 200 ký tự."))
    return name


def create_zone(lobby: Any, actor: Actor, name: str, slug: str | None = None) -> dict[str, Any]:
    """A new zone; its slug (used in URLs and the API) is made from the name if not given."""
    name = _zone_name(name)
    slug = (slug or "").strip() or slugify(name)[:64]
    if not ZONE_SLUG.match(slug):
        raise ZoneError(N_("Mã khu vực chỉ gồm chữ thường không dấu, số và '-' (tối đa 64 ký tự)."))
    now = lobby.clock.now()
    with lobby.store.write() as session:
        if playlists.get_zone(session, slug) is not None:
            raise ZoneExists(N_("Khu vực %(slug)s đã có."), slug=slug)
        zone = Zone(slug=slug, name=name, created_at=now)
        session.add(zone)
        session.flush()
        record(session, actor.name, "zone.create", f"zone:{slug}", {"name": name}, actor.ip, now)
        return zone_json(zone)


def rename_zone(lobby: Any, actor: Actor, slug: str, name: str) -> dict[str, Any]:
    name = _zone_name(name)
    now = lobby.clock.now()
    with lobby.store.write() as session:
        zone = playlists.get_zone(session, slug)
        if zone is None:
            raise ZoneNotFound(N_("Không có khu vực %(slug)s."), slug=slug)
        before, zone.name = zone.name, name
        record(session, actor.name, "zone.rename", f"zone:{slug}", {"from": before, "to": name},
               actor.ip, now)
        body = zone_json(zone)
    # Screens show the zone's name in their snapshot; they pick it up on the next one.
    return body


def zones_with_counts(session: Any) -> list[dict[str, Any]]:
    zones = list(session.scalars(select(Zone).order_by(Zone.id)))
    counts: dict[int, int] = {}
    for zone_id in session.scalars(select(Screen.zone_id).where(Screen.revoked_at.is_(None))):
        counts[zone_id] = counts.get(zone_id, 0) + 1
    return [zone_json(z, counts.get(z.id, 0)) for z in zones]
