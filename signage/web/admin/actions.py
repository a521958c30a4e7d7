"""What an admin changes — users — done the same way from a page or the API.

Each function is one write transaction: the change and its audit entry commit
together. Screen revocation also closes that screen's open sockets, after commit.
Both the /admin views and the /api/v1 handlers call these, so the two never drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from signage import accounts
from signage.accounts import N_, AccountError
from signage.accounts.audit import record
from signage.store.models import User

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
