"""Rating tablets: a small tablet facing the citizen at one counter, registered like a
lobby screen — it proves itself with the key in its page's address
(`/rate/<counter number>?key=…`) and on its socket. Only a registered tablet may send
the ratings of its counter's tickets (signage.evaluation.ratings).

    add_tablet      register a tablet at a counter (admin); the answer has its key, once
    revoke_tablet   its key stops working (its socket closes)
    tablet_seen     bookkeeping: when it last connected
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid, NotFound
from signage.evaluation import duty
from signage.evaluation.ratings import ask_json, pending_at
from signage.evaluation.scales import rating_settings, reasons_json, scale_json
from signage.events import TabletRevoked
from signage.notices.schema import Line
from signage.playlists.service import office
from signage.queueing.calling import current_ticket
from signage.queueing.catalog import find_counter
from signage.store.models_evaluation import RatingTablet
from signage.store.models_queue import QueueCounter
from signage.usecases import ADMIN, Change, devices
from signage.usecases.officers import officer_json
from signage.validation import Model, Output, parse

TabletName = Annotated[Line, Field(title=N_("Tên máy đánh giá"), min_length=1, max_length=200)]


class TabletIn(Model):
    name: TabletName
    counter: int = Field(title=N_("Số quầy"), ge=1, le=999)


class TabletOut(Output):
    id: int
    name: str
    counter: int = Field(description="the number of its counter")
    revoked: bool
    created_at: str | None
    revoked_at: str | None
    last_seen_at: str | None = Field(description="when it last connected, to the minute")


class TabletAdded(Output):
    id: int
    name: str
    counter: int
    key: str = Field(description="the tablet's secret, in its page's address; shown once")
    url: str


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def tablet_json(session: Session, tablet: RatingTablet) -> dict[str, Any]:
    counter = session.get(QueueCounter, tablet.counter_id)
    return {"id": tablet.id, "name": tablet.name, "counter": counter.number if counter else 0,
            "revoked": tablet.revoked_at is not None, "created_at": _iso(tablet.created_at),
            "revoked_at": _iso(tablet.revoked_at), "last_seen_at": _iso(tablet.last_seen_at)}


def add_tablet(change: Change, data: Any) -> dict[str, Any]:
    """Register a tablet at a counter (by its number); the answer carries its key."""
    change.require(ADMIN)
    spec = parse(TabletIn, data)
    counter = find_counter(change.session, spec.counter)
    if counter is None:  # a value naming nothing in a body: 422, as for counters' services
        message = N_("Không có quầy số %(number)s.")
        raise Invalid(message, code="unknown_counter", number=spec.counter,
                      fields=[FieldProblem("counter", message, {"number": spec.counter})])
    tablet = RatingTablet(name=spec.name, key=secrets.token_urlsafe(18), counter_id=counter.id,
                          created_at=change.now)
    change.session.add(tablet)
    change.session.flush()
    change.audit("tablet.add", f"tablet:{tablet.id}", {"name": tablet.name,
                                                       "counter": str(counter.number)})
    return {"id": tablet.id, "name": tablet.name, "counter": counter.number, "key": tablet.key}


def revoke_tablet(change: Change, tablet_id: int) -> dict[str, Any]:
    """Revoke a tablet's key for good: its page stops, its socket closes."""
    change.require(ADMIN)
    tablet = change.session.get(RatingTablet, tablet_id)
    if tablet is None:
        raise NotFound(N_("Không có máy đánh giá số %(id)s."), id=tablet_id)
    if tablet.revoked_at is None:
        tablet.revoked_at = change.now
        change.audit("tablet.revoke", f"tablet:{tablet.id}", {"name": tablet.name})
        change.emit(TabletRevoked(tablet.id))
    return tablet_json(change.session, tablet)


def tablet_seen(change: Change, tablet_id: int) -> None:
    """Bookkeeping (no audit entry): when a tablet last connected, to the minute."""
    devices.note_seen(change.session.get(RatingTablet, tablet_id), change.now)


# ---- reading ------------------------------------------------------------------------------

def tablet_path(counter: int, key: str) -> str:
    """The page to open on a counter's tablet (GET /rate/<counter number>, its key in it)."""
    return f"/rate/{counter}?key={key}"


def list_tablets(session: Session) -> list[dict[str, Any]]:
    """Every tablet, with its key (for the admin's page and the CLI; the API leaves it out)."""
    return [{**tablet_json(session, t), "key": t.key}
            for t in session.scalars(select(RatingTablet).order_by(RatingTablet.id))]


def tablet_for_key(session: Session, key: str | None) -> dict[str, Any] | None:
    """The registered tablet with this key (unless revoked), with its counter's id."""
    tablet = devices.device_for_key(session, RatingTablet, key)
    if tablet is None:
        return None
    return {**tablet_json(session, tablet), "counter_id": tablet.counter_id}


def tablet_view(session: Session, counter_id: int, now: datetime) -> dict[str, Any]:
    """Everything a counter's tablet shows (its snapshot, and `tablet.state`): the
    counter, its officer on duty, the office, the scale and reasons, the ticket to rate
    now (if one was just served) and the one being served."""
    counter = session.get(QueueCounter, counter_id)
    if counter is None:
        raise NotFound(N_("Không có quầy này."))
    settings = rating_settings(session)
    current = duty.open_duty(session, counter.id)
    pending = pending_at(session, counter.id, now, timedelta(seconds=settings["timeout_s"]))
    serving = current_ticket(session, counter, now)
    return {
        "counter": {"id": counter.id, "number": counter.number, "name": counter.name},
        "officer": officer_json(session, current.officer) if current else (
            {"name": counter.officer} if counter.officer else None),
        "office": office(session),
        "rating": {"scale": settings["scale"], "timeout_s": settings["timeout_s"],
                   "levels": scale_json(settings["scale"]), "reasons": reasons_json()},
        "ask": ask_json(pending, settings) if pending is not None else None,
        "serving": serving.display if serving is not None else None,
    }


def counter_ids(session: Session) -> list[int]:
    """The ids of every counter (each has its tablets' channel)."""
    return list(session.scalars(select(QueueCounter.id).order_by(QueueCounter.id)))
