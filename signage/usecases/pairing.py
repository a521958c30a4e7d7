"""Pairing a new TV (signage.playlists.pairing): `/screen` on a TV shows a code; an admin
types it in /admin, the API or the CLI with a name and a zone; the TV becomes that screen
without anyone typing its key. The pairing is audited; the code then is spent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid
from signage.events import ScreenPaired, ScreensChanged
from signage.playlists import pairing
from signage.playlists.screens import new_screens
from signage.store.models import Screen
from signage.store.models_fleet import ScreenPairing
from signage.usecases import ADMIN, Change
from signage.usecases.screens import Orientation, ScreenName
from signage.usecases.zones import ZoneSlug, zone_named
from signage.validation import Model, Output, parse

PairingCode = Annotated[str, Field(
    title=N_("Mã ghép"), min_length=1, max_length=20,
    description=N_("6 ký tự hiện trên TV, ví dụ ACE 479."))]
WRONG_CODE = N_("Không có TV nào đang hiện mã %(code)s (mã sai, đã dùng hoặc đã hết hạn; "
                "mở lại /screen trên TV để có mã mới).")


class PairIn(Model):
    """Name the TV showing `code` and place it in a zone (which must exist)."""

    code: PairingCode
    name: ScreenName
    zone: ZoneSlug
    orientation: Orientation = "landscape"


class PairedOut(Output):
    id: int
    name: str
    zone: str
    orientation: str
    url: str = Field(description="the screen's page; the TV has gone there by itself")


# ---- changes --------------------------------------------------------------------------

def start_pairing(change: Change, ip: str | None = None) -> dict[str, Any]:
    """A TV asks for a code (anyone may: it is only a request to be paired). Returns
    the code and the secret the TV keeps to prove it asked. No audit entry: the
    pairing itself is audited."""
    session = change.session
    # Codes nobody used are of no interest once expired (pairings done are kept).
    session.execute(delete(ScreenPairing).where(ScreenPairing.screen_id.is_(None),
                                                ScreenPairing.expires_at < change.now))
    taken = set(session.scalars(select(ScreenPairing.code).where(ScreenPairing.code.is_not(None))))
    code = pairing.new_code()
    while code in taken:
        code = pairing.new_code()
    secret = pairing.new_secret()
    row = ScreenPairing(code=code, secret_hash=pairing.secret_hash(secret), created_at=change.now,
                        expires_at=change.now + pairing.CODE_LIFETIME, ip=ip)
    session.add(row)
    session.flush()
    return {"id": row.id, "code": code, "expires_at": row.expires_at.isoformat(),
            "secret": secret, "state": "pending"}


def pair_screen(change: Change, data: Any) -> dict[str, Any]:
    """The admin names the TV showing `code`: a new screen in `zone`; the TV is told."""
    change.require(ADMIN)
    spec = parse(PairIn, data)
    code = pairing.normalise_code(spec.code)
    row = change.session.scalar(select(ScreenPairing).where(
        ScreenPairing.code == code, ScreenPairing.expires_at > change.now)) \
        if pairing.looks_like_code(code) else None
    if row is None:
        raise Invalid(code="unknown_pairing_code",
                      fields=[FieldProblem("code", WRONG_CODE, {"code": spec.code})])
    zone = zone_named(change.session, spec.zone, field="zone")
    [screen] = new_screens(change.session, [spec.name], zone, spec.orientation, change.now)
    row.screen_id, row.paired_at, row.paired_by, row.code = (
        screen.id, change.now, change.actor.name, None)
    change.audit("screen.pair", f"screen:{screen.id}",
                 {"name": screen.name, "zone": zone.slug, "orientation": screen.orientation,
                  "code": code})
    change.emit(ScreenPaired(row.id), ScreensChanged())
    return {"id": screen.id, "name": screen.name, "zone": zone.slug,
            "orientation": screen.orientation, "key": screen.key}


# ---- reading --------------------------------------------------------------------------

def pairing_for_secret(session: Session, secret: str | None, now: datetime) -> dict[str, Any] | None:
    """The pairing a TV's secret names: "pending" (with its code), "paired" (with the
    screen's key), or None when there is none to resume (unknown, expired, or its screen
    has been revoked: the TV asks for a new code)."""
    if not secret or len(secret) > 100:
        return None
    row = session.scalar(select(ScreenPairing).where(
        ScreenPairing.secret_hash == pairing.secret_hash(secret)))
    if row is None:
        return None
    if row.screen_id is not None:
        screen = session.get(Screen, row.screen_id)
        if screen is None or screen.revoked_at is not None:
            return None
        return {"id": row.id, "state": "paired", "key": screen.key, "screen_id": screen.id}
    if row.expires_at <= now or row.code is None:
        return None
    return {"id": row.id, "state": "pending", "code": row.code,
            "expires_at": row.expires_at.isoformat()}
