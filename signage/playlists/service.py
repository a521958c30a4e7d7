"""Zones and their playlists in the store, and the view of a zone a screen needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from signage.notices.workflow import live_json
from signage.playlists.rotation import Entry, OfficeHours, Showing, what_to_show, with_next
from signage.playlists.schedules import to_office_hours, to_schedule
from signage.store.models import Notice, Setting, Slide, Zone

DEFAULT_ZONE = "sanh-chinh"
DEFAULT_ZONE_NAME = "Sảnh chính"
DEFAULT_DURATION = 15
MIN_DURATION, MAX_DURATION = 3, 600
OFFICE_DEFAULTS = {
    "ward_name": "UBND phường",
    "office_name": "Trung tâm Phục vụ hành chính công",
    # The card a screen shows when nothing is scheduled (screen.js fillIdle).
    "welcome_title": "Kính chào quý công dân",
    "welcome_text": "Chúc quý vị một ngày tốt lành.",
    # Where citizens find the office and whom they call; empty: not shown.
    "address": "",
    "hotline": "",
    # Where citizens send written complaints and proposals (postal or email); empty: not shown.
    "feedback_address": "",
}
WELCOME_LIMITS = {"welcome_title": 80, "welcome_text": 200}


@dataclass(frozen=True)
class PlaylistSlide:
    """A slide with the notice it shows (as API JSON) and its schedule."""

    id: int
    position: int
    duration: int
    notice: dict[str, Any]
    schedule: dict[str, Any]

    @classmethod
    def of(cls, slide: Slide) -> PlaylistSlide:
        return cls(slide.id, slide.position, slide.duration_s, live_json(slide.notice),
                   schedule_json(slide))


def schedule_json(slide: Slide) -> dict[str, Any]:
    return {
        "starts_on": slide.starts_on.isoformat() if slide.starts_on else None,
        "ends_on": slide.ends_on.isoformat() if slide.ends_on else None,
        "weekdays": slide.weekdays,
        "windows": slide.windows,
        "priority": slide.priority or 0,
    }


def get_zone(session: Session, slug: str) -> Zone | None:
    return session.scalar(select(Zone).where(Zone.slug == slug))


def zone_slugs(session: Session) -> list[str]:
    return list(session.scalars(select(Zone.slug).order_by(Zone.id)))


def playlist(session: Session, zone: Zone, include_pending: bool = False) -> list[PlaylistSlide]:
    """The zone's slides in order; only those with an approved notice unless
    `include_pending` (what an editor sees: a draft on the playlist waits for approval)."""
    slides = session.scalars(
        select(Slide).where(Slide.zone_id == zone.id)
        .options(selectinload(Slide.notice))
        .order_by(Slide.position, Slide.id)
    )
    return [PlaylistSlide.of(s) for s in slides if include_pending or s.notice.status == "approved"]


def append_slide(session: Session, zone: Zone, notice: Notice,
                 duration: int = DEFAULT_DURATION) -> Slide:
    last = session.scalar(select(func.max(Slide.position)).where(Slide.zone_id == zone.id))
    slide = Slide(zone_id=zone.id, notice_id=notice.id, duration_s=duration,
                  position=(last or 0) + 1)
    session.add(slide)
    session.flush()
    return slide


def entries(slides: list[PlaylistSlide]) -> list[Entry]:
    return [
        Entry(s.id, s.duration, to_schedule(
            date.fromisoformat(s.schedule["starts_on"]) if s.schedule["starts_on"] else None,
            date.fromisoformat(s.schedule["ends_on"]) if s.schedule["ends_on"] else None,
            s.schedule["weekdays"], s.schedule["windows"], s.schedule["priority"]))
        for s in slides
    ]


def showing_json(showing: Showing | None) -> dict[str, Any] | None:
    if showing is None:
        return None
    body = {
        "index": showing.index,
        "slide_id": showing.slide_id,
        "started": showing.started.isoformat(),
        "until": showing.until.isoformat(),
        "active": list(showing.active),
        "closed": showing.closed,
    }
    if showing.next is not None:
        body["next"] = showing_json(showing.next)
    return body


def current(session: Session, zone: Zone, now: datetime, tz: ZoneInfo) -> Showing | None:
    """What the zone shows at `now`, and what comes next (`Showing.next`)."""
    slides, hours = entries(playlist(session, zone)), office_hours(session)
    return with_next(what_to_show(slides, now, tz, hours), slides, tz, hours)


def office_hours_json(session: Session) -> dict[str, list[list[str]]] | None:
    row = session.get(Setting, "office_hours")
    return row.value if row and row.value else None


def office_hours(session: Session) -> OfficeHours | None:
    return to_office_hours(office_hours_json(session))


def office(session: Session) -> dict[str, Any]:
    """The office's names and welcome card: what is set, else the defaults."""
    row = session.get(Setting, "office")
    stored = row.value if row and isinstance(row.value, dict) else {}
    return {key: stored.get(key) or default for key, default in OFFICE_DEFAULTS.items()}


def zone_entries(session: Session, zone: Zone) -> list[dict[str, Any]]:
    """Every entry of a zone's playlist in order, whatever its notice's status, as the
    API and the playlist editor read them (and a PUT takes them back).

    Screens show only the entries of approved notices; an editor replacing the playlist
    needs the others too, or a save would drop a notice waiting for approval.
    """
    return [{"id": s.id, "notice_id": s.notice["id"], "title": s.notice["title"],
             "kind": s.notice["kind"], "code": s.notice.get("code"),
             "notice_status": s.notice["status"], "duration": s.duration,
             "position": s.position, **s.schedule}
            for s in playlist(session, zone, include_pending=True)]
