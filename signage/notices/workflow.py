"""Who may put what on the glass: drafts, review, approval, rejection, restore.

The rules (docs/admin.md, "Notices, approval and revisions"):

- `Notice.record` is the LIVE record: what screens, playlists and the ticker read, and
  only while `Notice.status == "approved"`. Every save is a new `NoticeRevision`.
- A save by an approver or an admin is approved at once: it becomes the live record
  (version + 1) in the same transaction.
- A save by an editor is a revision in "draft" (or "review" when submitted); the live
  record does not move, so the approved version stays on the screens meanwhile.
  A notice that was never approved has no live record; its row then mirrors the
  newest working copy (for lists and code uniqueness) and no screen shows it.
- A notice has at most one open revision (draft or review): a newer save supersedes
  it ("superseded"; still in the history, and restorable).
- An approver approves or rejects the revision in review; a rejection needs a reason.
- Restore copies an old revision into a new one, by the same rules as a save.

`Notice.status` is the notice's overall state: "approved" while a live version exists
(`pending` then says whether a newer revision waits), else the state of its newest
revision: "draft", "review" or "rejected".

These are the steps on a session; the use cases (signage.usecases.notices) check who
acts, write the audit entries and say what the screens must hear, from the `Outcome`.
Nothing here imports Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from signage.errors import N_, Conflict, InvalidState, NotFound, invalid
from signage.notices.diff import diff  # noqa: F401 (part of this module's interface)
from signage.notices.schema import Procedure, Record, parse_notice, record_json
from signage.store.models import Notice, Slide, Zone
from signage.store.models_revisions import NoticeRevision

OPEN = ("draft", "review")            # a working copy nobody has decided on yet
PENDING = ("draft", "review", "rejected")  # newer than the live record, not on screens


@dataclass
class Outcome:
    """What a step did, for the use case to audit and publish."""

    notice: Notice
    revision: NoticeRevision
    created: bool = False
    live_changed: bool = False   # Notice.record changed: screens showing it need the new slide
    went_live: bool = False      # first live version: it joins its zones' playlists


# ---- the notice's row ------------------------------------------------------------------

def get_notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(N_("Không tìm thấy thông báo số %(id)s."), id=notice_id)
    return notice


def find_notice(session: Session, kind: str, key: str) -> Notice | None:
    """The notice with this procedure code (kind "procedure") or law slug."""
    column = Notice.code if kind == "procedure" else Notice.slug
    return session.scalar(select(Notice).where(Notice.kind == kind, column == key))


def apply_record(notice: Notice, record: Record) -> None:
    """Make `record` the row's record (and the columns lists and lookups use)."""
    notice.kind = record.kind
    notice.title = record.title
    notice.record = record_json(record)
    if isinstance(record, Procedure):
        notice.code, notice.slug, notice.field = record.code, None, record.field
    else:
        notice.code, notice.slug, notice.field = None, record.slug, None


def live_json(notice: Notice) -> dict[str, Any]:
    """The notice's record plus read-only id, status, version, updated_at: what a screen
    renders (and the API's notice, without `pending`)."""
    return {
        "id": notice.id,
        **notice.record,
        "kind": notice.kind,
        "status": notice.status,
        "version": notice.version,
        # Always UTC on the wire: the same instant reads the same before and after storage.
        "updated_at": _iso(notice.updated_at),
    }


def check_unique(session: Session, record: Record, own_id: int | None) -> None:
    """No other notice has this procedure code or law slug (raises Conflict, about the field)."""
    if isinstance(record, Procedure):
        clash = select(Notice.id).where(Notice.code == record.code)
        error = Conflict(N_("Mã thủ tục %(value)s đã có ở một thông báo khác."),
                         extra={"field": "code"}, value=record.code)
    else:
        clash = select(Notice.id).where(Notice.slug == record.slug)
        error = Conflict(N_("Mã định danh %(value)s đã có ở một thông báo khác."),
                         extra={"field": "slug"}, value=record.slug)
    if own_id is not None:
        clash = clash.where(Notice.id != own_id)
    if session.scalar(clash) is not None:
        raise error


# ---- reading revisions --------------------------------------------------------------------

def is_live(notice: Notice) -> bool:
    return notice.status == "approved"


def revisions(session: Session, notice_id: int) -> list[NoticeRevision]:
    """A notice's revisions, oldest first."""
    return list(session.scalars(select(NoticeRevision).where(NoticeRevision.notice_id == notice_id)
                                .order_by(NoticeRevision.number)))


def get_revision(session: Session, notice_id: int, number: int) -> NoticeRevision:
    get_notice(session, notice_id)
    revision = session.scalar(select(NoticeRevision).where(
        NoticeRevision.notice_id == notice_id, NoticeRevision.number == number))
    if revision is None:
        raise NotFound(N_("Thông báo số %(id)s không có phiên bản %(number)s."),
                       id=notice_id, number=number)
    return revision


def latest_revision(session: Session, notice_id: int) -> NoticeRevision | None:
    return session.scalar(select(NoticeRevision).where(NoticeRevision.notice_id == notice_id)
                          .order_by(NoticeRevision.number.desc()).limit(1))


def pending_revision(session: Session, notice: Notice) -> NoticeRevision | None:
    """The newest revision when it is not live: a draft, one in review, or a rejected one."""
    latest = latest_revision(session, notice.id)
    return latest if latest is not None and latest.status in PENDING else None


def live_number(session: Session, notice: Notice) -> int | None:
    """The number of the revision the screens show (the newest approved), if any."""
    if not is_live(notice):
        return None
    return session.scalar(select(func.max(NoticeRevision.number)).where(
        NoticeRevision.notice_id == notice.id, NoticeRevision.status == "approved"))


def revision_json(revision: NoticeRevision, with_record: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "number": revision.number,
        "status": revision.status,
        "author": revision.author,
        "created_at": _iso(revision.created_at),
        "submitted_at": _iso(revision.submitted_at),
        "decided_by": revision.decided_by,
        "decided_at": _iso(revision.decided_at),
        "reason": revision.reason,
    }
    if with_record:
        body["record"] = revision.record
    return body


def pending_json(revision: NoticeRevision | None, with_record: bool = True) -> dict[str, Any] | None:
    if revision is None:
        return None
    body = revision_json(revision, with_record)
    keep = ("number", "status", "author", "created_at", "submitted_at", "reason", "decided_by",
            "record")
    return {k: body[k] for k in keep if k in body}


def notice_json(session: Session, notice: Notice, with_record: bool = True) -> dict[str, Any]:
    """The API's notice: the live record (or, never approved, the newest working copy),
    `status`, `version`, and `pending` — the revision not yet live, or null."""
    return {**live_json(notice),
            "pending": pending_json(pending_revision(session, notice), with_record)}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


# ---- the history starts somewhere -------------------------------------------------------

def ensure_history(session: Session, notice: Notice, now: datetime) -> None:
    """Make the revisions tell the truth about the live record.

    Notices written before revisions existed (migration 0006 backfills them) or by an
    older content import have no revision, or a live record newer than their last
    approved revision: record it as an approved revision by "system".
    """
    latest = latest_revision(session, notice.id)
    if latest is None:
        session.add(NoticeRevision(
            notice_id=notice.id, number=1, record=notice.record, author="system",
            status="approved" if is_live(notice) else _notice_state(notice.status),
            created_at=notice.updated_at or now,
            decided_by="system" if is_live(notice) else None,
            decided_at=(notice.updated_at or now) if is_live(notice) else None))
        session.flush()
        return
    if not is_live(notice):
        return
    approved = session.scalar(select(NoticeRevision).where(
        NoticeRevision.notice_id == notice.id, NoticeRevision.status == "approved")
        .order_by(NoticeRevision.number.desc()).limit(1))
    if approved is None or approved.record != notice.record:
        session.add(NoticeRevision(
            notice_id=notice.id, number=latest.number + 1, record=notice.record, author="system",
            status="approved", created_at=notice.updated_at or now, decided_by="system",
            decided_at=notice.updated_at or now))
        session.flush()


def _notice_state(status: str) -> str:
    return status if status in ("draft", "review", "rejected") else "draft"


# ---- saving ---------------------------------------------------------------------------

def _lock(session: Session, notice_id: int) -> Notice:
    # Row lock on PostgreSQL (two saves of one notice take turns for the next number);
    # SQLite's write transaction already holds the database lock.
    notice = session.get(Notice, notice_id, with_for_update=True)
    if notice is None:
        raise NotFound(N_("Không tìm thấy thông báo số %(id)s."), id=notice_id)
    return notice


def _supersede_open(session: Session, notice_id: int) -> None:
    for revision in session.scalars(select(NoticeRevision).where(
            NoticeRevision.notice_id == notice_id, NoticeRevision.status.in_(OPEN))):
        revision.status = "superseded"


def _next_number(session: Session, notice_id: int) -> int:
    return (session.scalar(select(func.max(NoticeRevision.number))
                           .where(NoticeRevision.notice_id == notice_id)) or 0) + 1


def _go_live(notice: Notice, record: Record, now: datetime) -> bool:
    """Make `record` the live one; True if the notice was not live before."""
    first = not is_live(notice)
    apply_record(notice, record)
    notice.status = "approved"
    notice.version = (notice.version or 0) + 1
    notice.updated_at = now
    return first


def _new_revision(session: Session, notice: Notice, record: Record, author: str,
                  approves: bool, submit: bool, now: datetime, created: bool) -> Outcome:
    revision = NoticeRevision(notice_id=notice.id, number=_next_number(session, notice.id),
                              record=record_json(record), author=author, created_at=now)
    outcome = Outcome(notice, revision, created=created)
    if approves:
        revision.status, revision.decided_by, revision.decided_at = "approved", author, now
        outcome.went_live = _go_live(notice, record, now)
        outcome.live_changed = True
    else:
        revision.status = "review" if submit else "draft"
        revision.submitted_at = now if submit else None
        if not is_live(notice):
            # Nothing on the glass yet: the row mirrors the newest working copy.
            apply_record(notice, record)
            notice.status = revision.status
            notice.version = (notice.version or 0) + 1
            notice.updated_at = now
    session.add(revision)
    session.flush()
    return outcome


def create(session: Session, record: Record, author: str, approves: bool, now: datetime, *,
           submit: bool = False) -> Outcome:
    """A new notice with `record` as its first revision (live at once when `approves`)."""
    check_unique(session, record, None)
    notice = Notice(created_at=now, updated_at=now, version=0, status="draft")
    apply_record(notice, record)
    session.add(notice)
    session.flush()
    return _new_revision(session, notice, record, author, approves, submit, now, created=True)


def update(session: Session, notice_id: int, record: Record, author: str, approves: bool,
           now: datetime, *, submit: bool = False, expected_version: int | None = None,
           expected_pending: Any = ...) -> Outcome:
    """A new revision of a notice, by the rules above.

    `expected_version` (the `version` a client read) and `expected_pending` (the number
    of the `pending` revision it read, or None; `...`: not said) guard against
    overwriting a change made meanwhile (Conflict "version_conflict").
    """
    notice = _lock(session, notice_id)
    if record.kind != notice.kind:
        raise invalid("kind", N_("không đổi được loại của thông báo đã có."),
                      label=N_("Loại thông báo"))
    if expected_version is not None and expected_version != notice.version:
        raise Conflict(N_("Thông báo vừa được người khác sửa; hãy tải lại rồi sửa tiếp."),
                       code="version_conflict", extra={"current_version": notice.version})
    if expected_pending is not ...:
        current = pending_revision(session, notice)
        if (current.number if current else None) != expected_pending:
            raise Conflict(N_("Thông báo vừa có bản sửa mới của người khác; hãy tải lại rồi "
                              "sửa tiếp."), code="version_conflict",
                           extra={"current_version": notice.version})
    check_unique(session, record, notice.id)
    ensure_history(session, notice, now)
    _supersede_open(session, notice.id)
    return _new_revision(session, notice, record, author, approves, submit, now, created=False)


def _the_pending(session: Session, notice: Notice, number: int | None,
                 allowed: Iterable[str], refusal: str) -> NoticeRevision:
    revision = pending_revision(session, notice)
    if number is not None and (revision is None or revision.number != number):
        get_revision(session, notice.id, number)  # NotFound when there is no such revision
        raise InvalidState(N_("Phiên bản %(number)s không phải là bản sửa đang chờ của thông "
                              "báo này."), code="not_pending", number=number)
    if revision is None or revision.status not in allowed:
        raise InvalidState(refusal)
    return revision


def submit(session: Session, notice_id: int, author: str, now: datetime,
           number: int | None = None) -> Outcome:
    """Send the notice's draft to an approver. A rejected revision sent again unchanged
    becomes a new revision in review (the rejection stays in the history as it was)."""
    notice = _lock(session, notice_id)
    revision = _the_pending(session, notice, number, ("draft", "rejected"),
                            N_("Không có bản nháp nào để gửi duyệt."))
    if revision.status == "rejected":
        revision = NoticeRevision(notice_id=notice.id, number=_next_number(session, notice.id),
                                  record=revision.record, author=author, created_at=now)
        session.add(revision)
    revision.status, revision.submitted_at = "review", now
    if not is_live(notice):
        notice.status = "review"
    session.flush()
    return Outcome(notice, revision)


def approve(session: Session, notice_id: int, approver: str, now: datetime,
            number: int | None = None) -> Outcome:
    """The revision in review is the live record from now on."""
    notice = _lock(session, notice_id)
    revision = _the_pending(session, notice, number, ("review",),
                            N_("Không có bản sửa nào đang chờ duyệt."))
    record = parse_notice(revision.record)
    check_unique(session, record, notice.id)
    ensure_history(session, notice, now)
    revision.status, revision.decided_by, revision.decided_at = "approved", approver, now
    went_live = _go_live(notice, record, now)
    session.flush()
    return Outcome(notice, revision, live_changed=True, went_live=went_live)


def reject(session: Session, notice_id: int, approver: str, reason: str, now: datetime,
           number: int | None = None) -> Outcome:
    """The revision in review goes back to its author, saying why. The live record stays."""
    notice = _lock(session, notice_id)
    revision = _the_pending(session, notice, number, ("review",),
                            N_("Không có bản sửa nào đang chờ duyệt."))
    revision.status, revision.reason = "rejected", reason
    revision.decided_by, revision.decided_at = approver, now
    if not is_live(notice):
        notice.status = "rejected"
    session.flush()
    return Outcome(notice, revision)


def may_delete(notice: Notice, approves: bool) -> bool:
    """Taking a notice off the screens is an approver's decision; a draft nobody ever
    approved is its editors' to throw away."""
    return approves or not is_live(notice)


def delete(session: Session, notice_id: int) -> tuple[Notice, list[str]]:
    """Delete a notice (its revisions and playlist entries go with it); the notice as it
    was and the slugs of the zones whose playlists held it."""
    notice = get_notice(session, notice_id)
    zones = zones_of(session, notice_id)
    session.delete(notice)
    session.flush()
    return notice, zones


# ---- lists --------------------------------------------------------------------------

def _latest_status():
    """Per notice: the status of its newest revision (a correlated scalar subquery)."""
    newest = (select(NoticeRevision.status)
              .where(NoticeRevision.notice_id == Notice.id)
              .order_by(NoticeRevision.number.desc()).limit(1)
              .correlate(Notice).scalar_subquery())
    return func.coalesce(newest, Notice.status)


def list_notices(session: Session, *, kind: str | None = None, q: str | None = None,
                 status: str | None = None, field: str | None = None, zone: str | None = None,
                 limit: int = 200, offset: int = 0) -> tuple[list[Notice], int]:
    """Notices by kind, search text (title, code, lĩnh vực), status, lĩnh vực, zone.

    `status`: "approved" — on the screens (live), whatever waits; "review" — a
    revision waits for approval ("chờ duyệt"); "draft"/"rejected" — the newest
    revision is a draft / was sent back.
    """
    query = select(Notice)
    if kind:
        query = query.where(Notice.kind == kind)
    if q and q.strip():
        like = f"%{q.strip()}%"
        query = query.where(or_(Notice.title.ilike(like), Notice.code.ilike(like),
                                Notice.slug.ilike(like), Notice.field.ilike(like)))
    if status == "approved":
        query = query.where(Notice.status == "approved")
    elif status:
        query = query.where(_latest_status() == status)
    if field:
        query = query.where(Notice.field == field)
    if zone:
        query = query.where(exists(select(Slide.id).join(Zone, Slide.zone_id == Zone.id).where(
            and_(Slide.notice_id == Notice.id, Zone.slug == zone))))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Notice.kind.desc(), Notice.id).limit(limit).offset(offset))
    return list(rows), total


def review_queue(session: Session) -> list[tuple[Notice, NoticeRevision]]:
    """Notices whose newest revision waits for an approver, oldest request first."""
    rows = session.execute(
        select(Notice, NoticeRevision).join(NoticeRevision, NoticeRevision.notice_id == Notice.id)
        .where(NoticeRevision.status == "review", _latest_status() == "review")
        .order_by(NoticeRevision.submitted_at, NoticeRevision.id)).all()
    return [(n, r) for n, r in rows]


def count_in_review(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(NoticeRevision)
                          .where(NoticeRevision.status == "review")) or 0


def fields_in_use(session: Session) -> list[str]:
    """Every lĩnh vực a procedure has (for the list's filter)."""
    return list(session.scalars(select(Notice.field).where(Notice.field.is_not(None))
                                .distinct().order_by(Notice.field)))


def zones_of(session: Session, notice_id: int) -> list[str]:
    """Slugs of the zones whose playlists hold this notice."""
    return list(session.scalars(select(Zone.slug).join(Slide, Slide.zone_id == Zone.id)
                                .where(Slide.notice_id == notice_id).distinct()))

