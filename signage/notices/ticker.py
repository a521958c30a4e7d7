"""The ticker: short texts of law-outreach messages running along the bottom of a screen.

A zone's ticker is the ticker text of every approved law message on that zone's
playlist, in playlist order, each once. Tying it to the playlist (and not to every law
message in the store) means an editor decides what a zone shows in one place, and the
events that already reach a zone when its playlist or one of its notices changes
(`playlist.changed`, `notice.updated`) are exactly the ones that can change its ticker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.store.models import Notice, Slide, Zone


def zone_ticker(session: Session, zone: Zone) -> list[str]:
    """The ticker texts a zone's screens run, in playlist order, without repeats."""
    rows = session.execute(
        select(Notice.record)
        .join(Slide, Slide.notice_id == Notice.id)
        .where(Slide.zone_id == zone.id, Notice.kind == "law", Notice.status == "approved")
        .order_by(Slide.position, Slide.id)
    ).scalars()
    texts: list[str] = []
    for record in rows:
        text = str((record or {}).get("ticker") or "").strip()
        if text and text not in texts:
            texts.append(text)
    return texts


def ticker_part(session: Session, zone: Zone, now: datetime) -> dict[str, Any]:
    """Snapshot part (registered in create_app): {"ticker": [texts]}."""
    return {"ticker": zone_ticker(session, zone)}
