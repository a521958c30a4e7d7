"""Zones and their playlists in the store, and the view of a zone a screen needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from signage.notices.service import notice_json
from signage.playlists.rotation import Entry, Showing, what_to_show
from signage.store.models import Notice, Setting, Slide, Zone

DEFAULT_ZONE = "sanh-chinh"
DEFAULT_ZONE_NAME = "Sảnh chính"
DEFAULT_DURATION = 15
OFFICE_DEFAULTS = {
    "ward_name": "UBND phường",
    "office_name": "Trung tâm Phục vụ hành chính công",
}


@dataclass(frozen=True)
class PlaylistSlide:
    """A slide with the notice it shows (as API JSON)."""

    id: int
    position: int
    duration: int
    notice: dict[str, Any]


def get_zone(session: Session, slug: str) -> Zone | None:
    return session.scalar(select(Zone).where(Zone.slug == slug))


def ensure_zone(session: Session, slug: str, name: str | None = None) -> Zone:
    zone = get_zone(session, slug)
    if zone is None:
        zone = Zone(slug=slug, name=name or (DEFAULT_ZONE_NAME if slug == DEFAULT_ZONE else slug))
        session.add(zone)
        session.flush()
    return zone


def zone_slugs(session: Session) -> list[str]:
    return list(session.scalars(select(Zone.slug).order_by(Zone.id)))


def zone_slugs_by_id(session: Session, zone_ids: list[int]) -> list[str]:
    if not zone_ids:
        return []
    return list(session.scalars(select(Zone.slug).where(Zone.id.in_(zone_ids))))


def playlist(session: Session, zone: Zone) -> list[PlaylistSlide]:
    slides = session.scalars(
        select(Slide).where(Slide.zone_id == zone.id)
        .options(selectinload(Slide.notice))
        .order_by(Slide.position, Slide.id)
    )
    return [
        PlaylistSlide(s.id, s.position, s.duration_s, notice_json(s.notice))
        for s in slides
        if s.notice.status == "approved"
    ]


def append_slide(session: Session, zone: Zone, notice: Notice,
                 duration: int = DEFAULT_DURATION) -> Slide:
    last = session.scalar(select(func.max(Slide.position)).where(Slide.zone_id == zone.id))
    slide = Slide(zone_id=zone.id, notice_id=notice.id, duration_s=duration,
                  position=(last or 0) + 1)
    session.add(slide)
    session.flush()
    return slide


def entries(slides: list[PlaylistSlide]) -> list[Entry]:
    return [Entry(s.id, s.duration) for s in slides]


def showing_json(showing: Showing | None) -> dict[str, Any] | None:
    if showing is None:
        return None
    return {
        "index": showing.index,
        "slide_id": showing.slide_id,
        "started": showing.started.isoformat(),
        "until": showing.until.isoformat(),
    }


def current(session: Session, zone: Zone, now: datetime, tz: ZoneInfo) -> Showing | None:
    return what_to_show(entries(playlist(session, zone)), now, tz)


def office(session: Session) -> dict[str, Any]:
    row = session.get(Setting, "office")
    return {**OFFICE_DEFAULTS, **(row.value if row else {})}


def set_office(session: Session, values: dict[str, Any]) -> None:
    row = session.get(Setting, "office")
    if row is None:
        session.add(Setting(key="office", value=dict(values)))
    else:
        row.value = {**row.value, **values}
