"""A zone's playlist: which notices its screens rotate through, for how long, and when.

Changes: `replace_playlist` (the API's PUT, the playlist editor through it, and
`content import`), `approve_playlist`, `reject_playlist`. The entries are validated with
the schedule rules of signage.playlists.schedules; a refusal names the entry by its
place ("Slide 2: Khung giờ, khung 1: …"), which the editor shows next to that entry.

The approval rule is the notices' (signage/notices/workflow.py): an approver's or an
admin's save is the playlist at once (audited `notice.schedule`, the zone's screens told
at once); an editor's save is a *proposal* (`playlist.propose`) and the screens keep the
approved playlist until an approver approves it (`playlist.approve`, then it is the
playlist) or sends it back with a reason (`playlist.reject`). So an editor can no more
empty a live playlist than change a live notice. A zone has at most one pending
proposal: a newer save supersedes it. Saving what is already there changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Invalid, InvalidState, Msg
from signage.events import PlaylistChanged
from signage.notices.timing import suggested_duration
from signage.playlists import service as playlists
from signage.playlists.rotation import Entry, hidden_by
from signage.playlists.schedules import ScheduleFields, to_schedule
from signage.store.models import Notice, Slide
from signage.store.models_proposals import PlaylistProposal
from signage.usecases import APPROVERS, EDITORS, Change
from signage.usecases.notice_shapes import KIND
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

    slides: list[PlaylistEntryIn] = Field(title=N_("Lịch trình chiếu"))
    zone: str | None = Field(None, description="read-only, ignored")
    proposal: dict[str, Any] | None = Field(None, description="read-only, ignored")


class PlaylistEntry(Output):
    id: int = Field(description="slide id")
    notice_id: int
    title: str
    kind: KIND
    code: str | None = Field(description="a procedure's code")
    notice_status: str = Field(description="screens skip entries whose notice is not approved")
    duration: int = Field(description="seconds")
    position: int
    starts_on: str | None
    ends_on: str | None
    weekdays: list[int] | None
    windows: list[list[str]] | None
    priority: int


class Proposal(Output):
    """A playlist an editor proposed, waiting for an approver (or sent back)."""

    id: int
    author: str
    created_at: str
    status: Literal["pending", "rejected"]
    reason: str | None = Field(description="why it was sent back")
    decided_by: str | None
    slides: list[dict[str, Any]] = Field(description="the proposed entries, as PUT takes them")


class Playlist(Output):
    zone: str
    slides: list[PlaylistEntry] = Field(description="what the screens rotate through")
    proposal: Proposal | None = Field(
        None, description="an editor's change waiting for approval (or the last one sent "
                          "back), not yet on the screens")


class Decision(Model):
    """?… on approve / reject: which proposal (the one pending when absent), and why."""

    proposal: int | None = Field(None, ge=1, le=2**31 - 1,
                                 description="the proposal's id, as GET returned it")
    reason: str = Field("", max_length=2000, title=N_("Lý do"))


class SlideBrief(Output):
    id: int = Field(description="slide id")
    notice_id: int
    title: str
    kind: KIND
    duration: int


class Showing(Output):
    index: int
    slide_id: int | None
    started: str
    until: str
    active: list[int]
    closed: bool
    next: Showing | None = Field(None, description=(
        "what follows at `until` (screens change slide at that instant by the server's "
        "clock, docs/protocol.md)"))


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
    named them), not "Lịch trình chiếu › mục N"."""
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


def _validated(change: Change, data: Any) -> PlaylistIn:
    try:
        spec = parse(PlaylistIn, data)
    except Invalid as exc:
        raise _as_slides(exc) from None
    for n, entry in enumerate(spec.slides):
        if change.session.get(Notice, entry.notice_id) is None:
            raise Invalid(fields=[FieldProblem(
                f"slides.{n}.notice_id", NO_SUCH_NOTICE, {"id": entry.notice_id},
                (Msg(N_("Slide %(n)s"), {"n": n + 1}),))])
    return spec


def _wanted(spec: PlaylistIn) -> list[tuple[Any, ...]]:
    return [(e.notice_id, e.duration, e.starts_on, e.ends_on, e.weekdays, e.windows,
             e.priority) for e in spec.slides]


def _pending(session: Session, zone_id: int) -> PlaylistProposal | None:
    return session.scalar(select(PlaylistProposal).where(
        PlaylistProposal.zone_id == zone_id, PlaylistProposal.status == "pending")
        .order_by(PlaylistProposal.id.desc()).limit(1))


def _supersede(change: Change, zone_id: int) -> None:
    for row in change.session.scalars(select(PlaylistProposal).where(
            PlaylistProposal.zone_id == zone_id, PlaylistProposal.status == "pending")):
        row.status, row.decided_by, row.decided_at = "superseded", change.actor.name, change.now


def _put_live(change: Change, zone: Any, spec: PlaylistIn) -> bool:
    """Make `spec` the zone's playlist; False when it already was."""
    if _wanted(spec) == _entries_of(change.session, zone.id):
        return False
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
    return True


def replace_playlist(change: Change, zone_slug: str, data: Any) -> dict[str, Any]:
    """Replace a zone's playlist with `data["slides"]`: [{"notice_id", "duration",
    schedule…}, …] in order — at once by an approver, as a proposal by an editor.
    Returns the playlist as GET answers it (with the proposal, if any)."""
    change.require(EDITORS)
    zone = zone_named(change.session, zone_slug)
    spec = _validated(change, data)
    if change.actor.approves:
        if _put_live(change, zone, spec):
            _supersede(change, zone.id)
        return playlist_of(change.session, zone.slug)
    entries = [e.model_dump(mode="json", exclude_none=True,
                            include={"notice_id", "duration", "starts_on", "ends_on",
                                     "weekdays", "windows", "priority"})
               for e in spec.slides]
    pending = _pending(change.session, zone.id)
    same_as_live = _wanted(spec) == _entries_of(change.session, zone.id)
    if pending is not None and pending.entries == entries:
        return playlist_of(change.session, zone.slug)  # proposed already
    _supersede(change, zone.id)
    if same_as_live:
        return playlist_of(change.session, zone.slug)  # back to what is on the screens
    proposal = PlaylistProposal(zone_id=zone.id, entries=entries, author=change.actor.name,
                                created_at=change.now, status="pending")
    change.session.add(proposal)
    change.session.flush()
    change.audit("playlist.propose", f"zone:{zone.slug}",
                 {"proposal": proposal.id, "slides": len(entries)})
    return playlist_of(change.session, zone.slug)


def _the_proposal(change: Change, zone: Any, number: int | None) -> PlaylistProposal:
    pending = _pending(change.session, zone.id)
    if pending is None or (number is not None and pending.id != number):
        raise InvalidState(N_("Khu vực %(zone)s không có đề xuất lịch trình chiếu nào đang chờ "
                              "duyệt."), code="not_pending", zone=zone.slug)
    return pending


def approve_playlist(change: Change, zone_slug: str, data: Any = None) -> dict[str, Any]:
    """An approver makes the pending proposal the zone's playlist (screens told at once)."""
    change.require(APPROVERS)
    zone = zone_named(change.session, zone_slug)
    decision = parse(Decision, data or {})
    proposal = _the_proposal(change, zone, decision.proposal)
    spec = _validated(change, {"slides": proposal.entries})
    proposal.status, proposal.decided_by, proposal.decided_at = ("approved", change.actor.name,
                                                                 change.now)
    change.audit("playlist.approve", f"zone:{zone.slug}",
                 {"proposal": proposal.id, "author": proposal.author})
    _put_live(change, zone, spec)
    return playlist_of(change.session, zone.slug)


def reject_playlist(change: Change, zone_slug: str, data: Any) -> dict[str, Any]:
    """An approver sends the pending proposal back, saying why; the screens keep theirs."""
    change.require(APPROVERS)
    zone = zone_named(change.session, zone_slug)
    decision = parse(Decision, data or {})
    reason = " ".join(decision.reason.split())
    if not reason:
        raise Invalid(code="reason_required", fields=[FieldProblem(
            "reason", N_("cần ghi lý do trả lại để người biên tập biết phải sửa gì."), {},
            (N_("Lý do"),))])
    proposal = _the_proposal(change, zone, decision.proposal)
    proposal.status, proposal.reason = "rejected", reason
    proposal.decided_by, proposal.decided_at = change.actor.name, change.now
    change.audit("playlist.reject", f"zone:{zone.slug}",
                 {"proposal": proposal.id, "author": proposal.author, "reason": reason})
    return playlist_of(change.session, zone.slug)


# ---- reading ------------------------------------------------------------------------------------

def playlist_of(session: Session, zone_slug: str) -> dict[str, Any]:
    """Every entry of a zone's playlist, approved or not (`notice_status`; screens show
    only approved ones), so a PUT of what this returned keeps them all."""
    zone = zone_named(session, zone_slug)
    return {"zone": zone.slug, "slides": playlists.zone_entries(session, zone),
            "proposal": _proposal_json(session, zone.id)}


def _proposal_json(session: Session, zone_id: int) -> dict[str, Any] | None:
    """The pending proposal, else the last one sent back (until a newer save)."""
    row = session.scalar(select(PlaylistProposal).where(PlaylistProposal.zone_id == zone_id)
                         .order_by(PlaylistProposal.id.desc()).limit(1))
    if row is None or row.status not in ("pending", "rejected"):
        return None
    return {"id": row.id, "author": row.author, "created_at": row.created_at.isoformat(),
            "status": row.status, "reason": row.reason, "decided_by": row.decided_by,
            "slides": row.entries}


def pending_proposals(session: Session) -> list[dict[str, Any]]:
    """Every zone's pending proposal, oldest first (the approvers' review list)."""
    rows = session.scalars(select(PlaylistProposal).where(PlaylistProposal.status == "pending")
                           .order_by(PlaylistProposal.created_at, PlaylistProposal.id))
    return [{"zone": r.zone.slug, "zone_name": r.zone.name, "id": r.id, "author": r.author,
             "created_at": r.created_at.isoformat(), "slides": len(r.entries)} for r in rows]


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


class HiddenQuery(PlaylistIn):
    """A playlist as the editor has it (saved or not) and the entry being edited."""

    index: int = Field(ge=0, le=10_000, title=N_("Mục đang sửa"),
                       description="the entry (from 0) whose schedule is being edited")


class HiddenEntry(Output):
    index: int = Field(description="its place in the playlist sent (from 0)")
    notice_id: int
    title: str


class HiddenList(Output):
    items: list[HiddenEntry]


def hidden_entries(session: Session, zone_slug: str, data: Any, today: date) -> dict[str, Any]:
    """The entries of the playlist sent that entry `index` would keep off the zone's
    screens from `today` on, by the rotation's own rule (signage.playlists.rotation
    `hidden_by`, with the office hours): what a raised priority hides."""
    zone_named(session, zone_slug)
    try:
        spec = parse(HiddenQuery, data)
    except Invalid as exc:
        raise _as_slides(exc) from None
    if spec.index >= len(spec.slides):
        raise Invalid(fields=[FieldProblem("index", N_("không có mục số %(n)s."),
                                           {"n": spec.index + 1})])
    entries = [Entry(n, e.duration, to_schedule(e.starts_on, e.ends_on, e.weekdays, e.windows,
                                                e.priority))
               for n, e in enumerate(spec.slides)]
    hidden = hidden_by(entries, spec.index, today, playlists.office_hours(session))
    titles = dict(session.execute(select(Notice.id, Notice.title).where(
        Notice.id.in_({spec.slides[i].notice_id for i in hidden}))).all())
    return {"items": [{"index": i, "notice_id": spec.slides[i].notice_id,
                       "title": titles.get(spec.slides[i].notice_id, "")} for i in hidden]}


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
