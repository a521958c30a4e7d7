"""Ticket kiosks as registered devices: a kiosk proves itself with the key in its page's
address (`/kiosk/<key>`), like a lobby screen, and its numbers are not limited the way
anonymous requests are (signage.ratelimit: SIGNAGE_ANONYMOUS_TICKETS). Without that, one
phone or script could take every number of the day in seconds."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from signage.errors import N_, NotFound
from signage.notices.schema import Line
from signage.store.models_queue import Kiosk
from signage.usecases import ADMIN, Change, devices
from signage.validation import Model, Output, parse

KioskName = Annotated[Line, Field(title=N_("Tên máy lấy số"), min_length=1, max_length=200)]


class KioskIn(Model):
    name: KioskName


class KioskOut(Output):
    id: int
    name: str
    revoked: bool
    created_at: str | None
    revoked_at: str | None
    last_seen_at: str | None = Field(description="the last number it gave, to the minute")


class KioskAdded(Output):
    id: int
    name: str
    key: str = Field(description="the kiosk's secret, in its page's address; shown once")
    url: str


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def kiosk_json(kiosk: Kiosk) -> dict[str, Any]:
    return {"id": kiosk.id, "name": kiosk.name, "revoked": kiosk.revoked_at is not None,
            "created_at": _iso(kiosk.created_at), "revoked_at": _iso(kiosk.revoked_at),
            "last_seen_at": _iso(kiosk.last_seen_at)}


def add_kiosk(change: Change, data: Any) -> dict[str, Any]:
    """Register a kiosk; the answer carries its key (shown once)."""
    change.require(ADMIN)
    spec = parse(KioskIn, data)
    kiosk = Kiosk(name=spec.name, key=secrets.token_urlsafe(18), created_at=change.now)
    change.session.add(kiosk)
    change.session.flush()
    change.audit("kiosk.add", f"kiosk:{kiosk.id}", {"name": kiosk.name})
    return {"id": kiosk.id, "name": kiosk.name, "key": kiosk.key}


def revoke_kiosk(change: Change, kiosk_id: int) -> dict[str, Any]:
    """Revoke a kiosk's key: its numbers are limited like anybody's from then on."""
    change.require(ADMIN)
    kiosk = change.session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise NotFound(N_("Không có máy lấy số số %(id)s."), id=kiosk_id)
    if kiosk.revoked_at is None:
        kiosk.revoked_at = change.now
        change.audit("kiosk.revoke", f"kiosk:{kiosk.id}", {"name": kiosk.name})
    return kiosk_json(kiosk)


# Noting each number a kiosk gives would write on the hot path; to the minute is enough.
SEEN_PRECISION_S = devices.SEEN_PRECISION_S


_KIOSKS = Kiosk.__table__
_REGISTERED = select(_KIOSKS.c.id, _KIOSKS.c.last_seen_at).where(
    _KIOSKS.c.key == bindparam("key"), _KIOSKS.c.revoked_at.is_(None))
_SEEN = update(_KIOSKS).where(_KIOSKS.c.id == bindparam("kiosk_id")).values(
    last_seen_at=bindparam("now", type_=_KIOSKS.c.last_seen_at.type))


def registered_kiosk(session: Session, key: str | None, now: datetime) -> int | None:
    """Inside the caller's write transaction (the number it is about to give): the id of
    the registered kiosk with this key, unless revoked, noted as seen (to the minute);
    None for an unknown or revoked key. One indexed read in the transaction that takes
    the number, instead of a session of its own before it."""
    if not key or len(key) > devices.KEY_MAX:
        return None
    row = session.execute(_REGISTERED, {"key": key}).first()
    if row is None:
        return None
    if row.last_seen_at is None or (now - row.last_seen_at).total_seconds() >= SEEN_PRECISION_S:
        session.execute(_SEEN, {"kiosk_id": row.id, "now": now})
    return row.id


# ---- reading ------------------------------------------------------------------------

def list_kiosks(session: Session) -> list[dict[str, Any]]:
    return [{**kiosk_json(k), "key": k.key}
            for k in session.scalars(select(Kiosk).order_by(Kiosk.id))]


def kiosk_for_key(session: Session, key: str | None) -> dict[str, Any] | None:
    """The registered kiosk with this key, unless revoked."""
    kiosk = devices.device_for_key(session, Kiosk, key)
    return kiosk_json(kiosk) if kiosk is not None else None
