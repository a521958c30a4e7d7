"""Zones and their playlists in the store, and the view of a zone a screen needs."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from signage.notices.service import notice_json
from signage.playlists.rotation import Entry, OfficeHours, Showing, what_to_show
from signage.playlists.schedules import (
    ScheduleInvalid,
    clean_office_hours,
    clean_schedule,
    to_office_hours,
    to_schedule,
)
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
        return cls(slide.id, slide.position, slide.duration_s, notice_json(slide.notice),
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
    return {
        "index": showing.index,
        "slide_id": showing.slide_id,
        "started": showing.started.isoformat(),
        "until": showing.until.isoformat(),
        "active": list(showing.active),
        "closed": showing.closed,
    }


def current(session: Session, zone: Zone, now: datetime, tz: ZoneInfo) -> Showing | None:
    return what_to_show(entries(playlist(session, zone)), now, tz, office_hours(session))


def office_hours_json(session: Session) -> dict[str, list[list[str]]] | None:
    row = session.get(Setting, "office_hours")
    return row.value if row and row.value else None


def office_hours(session: Session) -> OfficeHours | None:
    return to_office_hours(office_hours_json(session))


def set_office_hours(session: Session, data: Any) -> dict[str, list[list[str]]] | None:
    """Validate and store office hours; None/{} means always open. Raises ScheduleInvalid."""
    clean = clean_office_hours(data)
    row = session.get(Setting, "office_hours")
    if row is None:
        session.add(Setting(key="office_hours", value=clean))
    else:
        row.value = clean
    return clean


class PlaylistInvalid(ValueError):
    """A playlist that cannot be saved; the message is Vietnamese, for the editor."""


def replace_playlist(session: Session, zone: Zone, items: Any) -> None:
    """Replace a zone's playlist with `items`: [{"notice_id", "duration", schedule…}, …]."""
    if not isinstance(items, list):
        raise PlaylistInvalid("Cần danh sách slides.")
    session.execute(delete(Slide).where(Slide.zone_id == zone.id))
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise PlaylistInvalid(f"Slide {position}: cần một đối tượng.")
        notice_id = item.get("notice_id")
        if not isinstance(notice_id, int) or session.get(Notice, notice_id) is None:
            raise PlaylistInvalid(f"Slide {position}: không có thông báo số {notice_id}.")
        duration = item.get("duration", DEFAULT_DURATION)
        if not isinstance(duration, int) or not MIN_DURATION <= duration <= MAX_DURATION:
            raise PlaylistInvalid(f"Slide {position}: thời lượng phải từ {MIN_DURATION} đến "
                                  f"{MAX_DURATION} giây.")
        try:
            schedule = clean_schedule(item)
        except ScheduleInvalid as exc:
            raise PlaylistInvalid(f"Slide {position}: {exc}") from None
        session.add(Slide(zone_id=zone.id, notice_id=notice_id, duration_s=duration,
                          position=position, **schedule))
    session.flush()


def office(session: Session) -> dict[str, Any]:
    row = session.get(Setting, "office")
    return {**OFFICE_DEFAULTS, **(row.value if row else {})}


def set_office(session: Session, values: dict[str, Any]) -> None:
    row = session.get(Setting, "office")
    if row is None:
        session.add(Setting(key="office", value=dict(values)))
    else:
        row.value = {**row.value, **values}


class OfficeInvalid(ValueError):
    """Office texts that cannot be saved; the message is Vietnamese, for the admin."""


def set_welcome(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Set the idle card's `welcome_title` / `welcome_text`; an empty text restores the default.

    Returns the office as `office()` does. Raises OfficeInvalid.
    """
    unknown = set(values) - set(WELCOME_LIMITS)
    if unknown:
        raise OfficeInvalid("Chỉ sửa được welcome_title, welcome_text; không có: "
                            + ", ".join(sorted(unknown)) + ".")
    row = session.get(Setting, "office")
    stored = dict(row.value) if row and row.value else {}
    for key, value in values.items():
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise OfficeInvalid(f"{key} phải là chuỗi.")
        # One line on a TV card: NFC (diacritics typed on any keyboard compare equal),
        # runs of spaces and line breaks folded.
        value = " ".join(unicodedata.normalize("NFC", value).split())
        if len(value) > WELCOME_LIMITS[key]:
            label = "Lời chào" if key == "welcome_title" else "Dòng phụ"
            raise OfficeInvalid(f"{label} dài quá {WELCOME_LIMITS[key]} ký tự.")
        if value and value != OFFICE_DEFAULTS[key]:
            stored[key] = value
        else:
            stored.pop(key, None)
    if row is None:
        session.add(Setting(key="office", value=stored))
    else:
        row.value = stored  # a new dict: the JSON column sees the change
    session.flush()
    return office(session)
