"""A zone's playlist: which notices its screens rotate through, for how long, and when.

One change: `replace_playlist` (the API's PUT, the playlist editor through it, and
`content import`). The entries are validated with the schedule rules of
signage.playlists.schedules; a refusal names the entry by its place ("Slide 2: Khung
giờ, khung 1: …"), which the editor shows next to that entry. Saving what is already
there changes nothing (no audit entry, nothing sent); any other save is audited as
`notice.schedule` with the new entries and tells the zone's screens at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid, Msg
from signage.events import PlaylistChanged
from signage.notices.timing import suggested_duration
from signage.playlists import service as playlists
from signage.playlists.schedules import ScheduleFields
from signage.store.models import Notice, Slide
from signage.usecases import EDITORS, Change
from signage.usecases.zones import zone_named
from signage.validation import Model, Output, fail, parse

MIN_DURATION, MAX_DURATION = playlists.MIN_DURATION, playlists.MAX_DURATION
NO_SUCH_NOTICE = N_("không có thông báo số %(id)s.")


class PlaylistEntryIn(ScheduleFields):
    """One entry: a notice, how long it stays, and its schedule. The read-only fields of
    GET are accepted and ignored, so a PUT can send back what GET returned."""

    notice_id: int = Field(title=N_("Số thông báo"))
    duration: int = Field(playlists.DEFAULT_DURATION, title=N_("Thời lượng"),
                          ge=MIN_DURATION, le=MAX_DURATION, description="seconds")
    id: int | None = Field(None, description="read-only, ignored")
    title: str | None = Field(None, description="read-only, ignored")
    kind: str | None = Field(None, description="read-only, ignored")
    code: str | None = Field(None, description="read-only, ignored")
    notice_status: str | None = Field(None, description="read-only, ignored")
    position: int | None = Field(None, description="read-only, ignored")

    @model_validator(mode="before")
    @classmethod
    def _entry_rules(cls, data: Any) -> Any:
        # Runs before the schedule's rules (ScheduleFields._rules): the notice, then the
        # duration, then the schedule, as people read an entry.
        if not isinstance(data, dict):
            raise fail(N_("cần một đối tượng."))
        notice_id = data.get("notice_id")
        if not isinstance(notice_id, int) or isinstance(notice_id, bool):
            raise fail(NO_SUCH_NOTICE, id=notice_id)
        duration = data.get("duration", playlists.DEFAULT_DURATION)
        if (not isinstance(duration, int) or isinstance(duration, bool)
                or not MIN_DURATION <= duration <= MAX_DURATION):
            raise fail(N_("thời lượng phải từ %(low)s đến %(high)s giây."),
                       low=MIN_DURATION, high=MAX_DURATION)
        return data


class PlaylistIn(Model):
    """A zone's whole playlist, in order (GET's answer is accepted as it is)."""

    slides: list[PlaylistEntryIn] = Field(title=N_("Danh sách phát"))
    zone: str | None = Field(None, description="read-only, ignored")


class PlaylistEntry(Output):
    id: int = Field(description="slide id")
    notice_id: int
    title: str
    kind: Literal["procedure", "law"]
    code: str | None = Field(description="a procedure's code")
    notice_status: str = Field(description="screens skip entries whose notice is not approved")
    duration: int = Field(description="seconds")
    position: int
    starts_on: str | None
    ends_on: str | None
    weekdays: list[int] | None
    windows: list[list[str]] | None
    priority: int


class Playlist(Output):
    zone: str
    slides: list[PlaylistEntry]


class SlideBrief(Output):
    id: int = Field(description="slide id")
    notice_id: int
    title: str
    kind: Literal["procedure", "law"]
    duration: int


class Showing(Output):
    index: int
    slide_id: int | None
    started: str
    until: str
    active: list[int]
    closed: bool


class ZoneNow(Output):
    """What a zone's screens show at a moment."""

    zone: str
    at: str
    state: Literal["slide", "welcome", "closed"] = Field(
        description="slide | welcome (nothing scheduled) | closed (outside office hours)")
    showing: Showing | None = Field(description="the rotation's answer: the slide, until "
                                                "when, the active set")
    slide: SlideBrief | None
    active: list[SlideBrief]


# ---- the change --------------------------------------------------------------------------------

def _as_slides(exc: Invalid) -> Invalid:
    """The problems of entry N named "Slide N" (how the editor and the API have always
    named them), not "Danh sách phát › mục N"."""
    problems = []
    for p in exc.fields:
        parts = p.field.split(".")
        if len(parts) >= 2 and parts[0] == "slides" and parts[1].isdigit():
            label = Msg(N_("Slide %(n)s"), {"n": int(parts[1]) + 1})
            problems.append(FieldProblem(p.field, p.message, p.params, (label, *p.labels[2:])))
        else:
            problems.append(p)
    return Invalid(code=exc.code, fields=problems)


def _entries_of(session: Session, zone_id: int) -> list[tuple[Any, ...]]:
    return [(s.notice_id, s.duration_s, s.starts_on, s.ends_on, s.weekdays, s.windows,
             s.priority or 0)
            for s in session.scalars(select(Slide).where(Slide.zone_id == zone_id)
                                     .order_by(Slide.position, Slide.id))]


def replace_playlist(change: Change, zone_slug: str, data: Any) -> dict[str, Any]:
    """Replace a zone's playlist with `data["slides"]`: [{"notice_id", "duration",
    schedule…}, …] in order. Returns the playlist as GET answers it."""
    change.require(EDITORS)
    zone = zone_named(change.session, zone_slug)
    try:
        spec = parse(PlaylistIn, data)
    except Invalid as exc:
        raise _as_slides(exc) from None
    for n, entry in enumerate(spec.slides):
        if change.session.get(Notice, entry.notice_id) is None:
            raise Invalid(fields=[FieldProblem(
                f"slides.{n}.notice_id", NO_SUCH_NOTICE, {"id": entry.notice_id},
                (Msg(N_("Slide %(n)s"), {"n": n + 1}),))])
    wanted = [(e.notice_id, e.duration, e.starts_on, e.ends_on, e.weekdays, e.windows,
               e.priority) for e in spec.slides]
    if wanted != _entries_of(change.session, zone.id):
        change.session.execute(delete(Slide).where(Slide.zone_id == zone.id))
        for position, entry in enumerate(spec.slides, start=1):
            change.session.add(Slide(zone_id=zone.id, notice_id=entry.notice_id,
                                     duration_s=entry.duration, position=position,
                                     **entry.schedule()))
        change.session.flush()
        body = playlist_of(change.session, zone.slug)
        change.audit("notice.schedule", f"zone:{zone.slug}",
                     {"slides": [{k: v for k, v in e.items() if k not in ("title", "kind", "code")}
                                 for e in body["slides"]]})
        change.emit(PlaylistChanged((zone.slug,)))
        return body
    return playlist_of(change.session, zone.slug)


# ---- reading ------------------------------------------------------------------------------------

def playlist_of(session: Session, zone_slug: str) -> dict[str, Any]:
    """Every entry of a zone's playlist, approved or not (`notice_status`; screens show
    only approved ones), so a PUT of what this returned keeps them all."""
    zone = zone_named(session, zone_slug)
    return {"zone": zone.slug, "slides": playlists.zone_entries(session, zone)}


def zone_now(session: Session, zone_slug: str, now: datetime, tz: Any) -> dict[str, Any]:
    """What the zone's screens show at `now`: a slide, the welcome card, or the closed card."""
    zone = zone_named(session, zone_slug)
    showing = playlists.current(session, zone, now, tz)
    by_id = {s.id: s for s in playlists.playlist(session, zone)}

    def brief(slide_id: int) -> dict[str, Any]:
        s = by_id[slide_id]
        return {"id": s.id, "notice_id": s.notice["id"], "title": s.notice["title"],
                "kind": s.notice["kind"], "duration": s.duration}

    if showing is None or (showing.slide_id is None and not showing.closed):
        state = "welcome"
    else:
        state = "closed" if showing.closed else "slide"
    return {
        "zone": zone.slug,
        "at": now.isoformat(),
        "state": state,
        "showing": playlists.showing_json(showing),
        "slide": brief(showing.slide_id) if showing and showing.slide_id in by_id else None,
        "active": [brief(i) for i in (showing.active if showing else ()) if i in by_id],
    }


def editor_page(session: Session, zone_slug: str) -> dict[str, Any]:
    """What the playlist editor starts from: the zone, the approved notices to pick from
    (with the duration their pages suggest), and the office's texts."""
    zone = zone_named(session, zone_slug)
    notices = [{"id": n.id, "title": n.title, "kind": n.kind, "code": n.code or "",
                "field": n.field or "", "duration": suggested_duration(n.record)}
               for n in session.scalars(select(Notice).where(Notice.status == "approved")
                                        .order_by(Notice.kind.desc(), Notice.title))]
    return {"zone": {"slug": zone.slug, "name": zone.name}, "notices": notices,
            "office": playlists.office(session)}


def first_zone(session: Session) -> str | None:
    slugs = playlists.zone_slugs(session)
    return slugs[0] if slugs else None
