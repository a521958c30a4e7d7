"""Who may put what on the glass: drafts, review, approval, rejection, restore.

The rules (docs/admin.md, "Notices, approval and revisions"):

- `Notice.record` is the LIVE record: what screens, playlists and the ticker read, and
  only while `Notice.status == "approved"`. Every save is a new `NoticeRevision`.
- A save by a role in CAN_APPROVE (approver, admin) is approved at once: it becomes
  the live record (version + 1) in the same transaction.
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

Every change writes its audit entry (`signage.accounts.audit.record`) in the caller's
transaction. The caller publishes after commit: `Outcome.live_changed` → the screens
need the new slide; `Outcome.went_live` → the notice joins the zones' playlists.
Nothing here imports Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from signage.accounts import CAN_APPROVE
from signage.accounts.audit import record as audit
from signage.notices.diff import diff  # noqa: F401 (part of this module's interface)
from signage.notices.schema import LawMessage, NoticeInvalid, Procedure, parse_notice, record_json
from signage.notices.service import NoticeConflict, NoticeNotFound, apply_record, get_notice
from signage.notices.service import notice_json as live_json
from signage.store.models import Notice, Slide, Zone
from signage.store.models_revisions import NoticeRevision

OPEN = ("draft", "review")            # a working copy nobody has decided on yet
PENDING = ("draft", "review", "rejected")  # newer than the live record, not on screens
NOTICE_STATUSES = ("approved", "draft", "review", "rejected")
# Keys a client may send along with a record that are not part of it.
_NOT_RECORD = ("pending", "zones", "submit", "orientation")

MISSING: Any = object()


@dataclass(frozen=True)
class Staff:
    """Who acts: the user's name and role, and the address for the audit log."""

    name: str
    role: str
    ip: str | None = None

    @property
    def approves(self) -> bool:
        return self.role in CAN_APPROVE


class WorkflowError(ValueError):
    """A step the notice's state does not allow; `message` is Vietnamese for the user."""

    def __init__(self, message: str, code: str = "invalid_state", status: int = 409,
                 **extra: Any) -> None:
        super().__init__(message)
        self.message, self.code, self.status, self.extra = message, code, status, extra


class RevisionNotFound(LookupError):
    def __init__(self, notice_id: int, number: int) -> None:
        super().__init__(f"Thông báo số {notice_id} không có phiên bản {number}.")


@dataclass
class Outcome:
    """What a step did, for the caller to answer and publish after commit."""

    notice: Notice
    revision: NoticeRevision
    live_changed: bool = False   # Notice.record changed: screens showing it need the new slide
    went_live: bool = False      # first live version: it joins its zones' playlists
    zones_added: list[str] = field(default_factory=list)


# ---- reading --------------------------------------------------------------------------

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
        raise RevisionNotFound(notice_id, number)
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

    Notices written outside this module (the content import, which loads approved
    files straight into `Notice.record`) have no revision, or a live record newer than
    their last approved revision: record it as an approved revision by "system".
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

def _record_of(data: Any, kind: str | None) -> Procedure | LawMessage:
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in _NOT_RECORD}
        if kind and "kind" not in data:
            data = {**data, "kind": kind}
    return parse_notice(data)


def check_unique(session: Session, record: Procedure | LawMessage, own_id: int | None) -> None:
    """No other notice has this procedure code or law slug (raises NoticeConflict)."""
    if isinstance(record, Procedure):
        clash = select(Notice.id).where(Notice.code == record.code)
        message, name = f"Mã thủ tục {record.code} đã có ở một thông báo khác.", "code"
    else:
        clash = select(Notice.id).where(Notice.slug == record.slug)
        message, name = f"Mã định danh {record.slug} đã có ở một thông báo khác.", "slug"
    if own_id is not None:
        clash = clash.where(Notice.id != own_id)
    if session.scalar(clash) is not None:
        raise NoticeConflict(message, name)


def _lock(session: Session, notice_id: int) -> Notice:
    # Row lock on PostgreSQL (two saves of one notice take turns for the next number);
    # SQLite's write transaction already holds the database lock.
    notice = session.get(Notice, notice_id, with_for_update=True)
    if notice is None:
        raise NoticeNotFound(notice_id)
    return notice


def _supersede_open(session: Session, notice_id: int) -> None:
    for revision in session.scalars(select(NoticeRevision).where(
            NoticeRevision.notice_id == notice_id, NoticeRevision.status.in_(OPEN))):
        revision.status = "superseded"


def _next_number(session: Session, notice_id: int) -> int:
    return (session.scalar(select(func.max(NoticeRevision.number))
                           .where(NoticeRevision.notice_id == notice_id)) or 0) + 1


def _go_live(notice: Notice, record: Procedure | LawMessage, now: datetime) -> bool:
    """Make `record` the live one; True if the notice was not live before."""
    first = not is_live(notice)
    apply_record(notice, record)
    notice.status = "approved"
    notice.version = (notice.version or 0) + 1
    notice.updated_at = now
    return first


def _add_to_zones(session: Session, notice: Notice, zones: Any) -> list[str]:
    """Append the notice to these zones' playlists (where it is not yet); the new slugs."""
    from signage.playlists import service as playlists

    if zones is None:
        return []
    if not isinstance(zones, list) or not all(isinstance(z, str) for z in zones):
        raise WorkflowError("zones phải là danh sách mã khu vực.", "validation_failed", 422)
    held = set(session.scalars(select(Zone.slug).join(Slide, Slide.zone_id == Zone.id)
                               .where(Slide.notice_id == notice.id)))
    added = []
    for slug in zones:
        zone = playlists.get_zone(session, slug)
        if zone is None:
            raise WorkflowError(f"Không có khu vực {slug}.", "validation_failed", 422)
        if slug in held:
            continue
        playlists.append_slide(session, zone, notice)
        held.add(slug)
        added.append(slug)
    return added


def save(session: Session, notice_id: int | None, data: Any, staff: Staff, now: datetime, *,
         submit: bool = False, expected_version: int | None = None,
         expected_pending: Any = MISSING, zones: Any = None) -> Outcome:
    """Save a notice (new when `notice_id` is None) by the rules above.

    `expected_version` (the `version` a client read) and `expected_pending` (the
    `pending` it read: a dict with `number`, or None) guard against overwriting a
    change made meanwhile (WorkflowError "version_conflict"). `zones` appends the
    notice to those zones' playlists. Raises NoticeInvalid, NoticeConflict,
    NoticeNotFound, WorkflowError.
    """
    if notice_id is None:
        record = _record_of(data, None)
        check_unique(session, record, None)
        notice = Notice(created_at=now, updated_at=now, version=0, status="draft")
        apply_record(notice, record)
        session.add(notice)
        session.flush()
        created = True
    else:
        notice = _lock(session, notice_id)
        record = _record_of(data, notice.kind)
        if record.kind != notice.kind:
            raise NoticeInvalid([{"field": "kind", "message":
                                  "Loại thông báo: không đổi được loại của thông báo đã có."}])
        if expected_version is not None and expected_version != notice.version:
            raise WorkflowError("Thông báo vừa được người khác sửa; hãy tải lại rồi sửa tiếp.",
                                "version_conflict", current_version=notice.version)
        if expected_pending is not MISSING:
            current = pending_revision(session, notice)
            seen = expected_pending.get("number") if isinstance(expected_pending, dict) else None
            if (current.number if current else None) != seen:
                raise WorkflowError("Thông báo vừa có bản sửa mới của người khác; hãy tải lại "
                                    "rồi sửa tiếp.", "version_conflict",
                                    current_version=notice.version)
        check_unique(session, record, notice.id)
        ensure_history(session, notice, now)
        _supersede_open(session, notice.id)
        created = False

    revision = NoticeRevision(notice_id=notice.id, number=_next_number(session, notice.id),
                              record=record_json(record), author=staff.name, created_at=now)
    outcome = Outcome(notice, revision)
    if staff.approves:
        revision.status, revision.decided_by, revision.decided_at = "approved", staff.name, now
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
    outcome.zones_added = _add_to_zones(session, notice, zones)

    target = f"notice:{notice.id}"
    details: dict[str, Any] = {"revision": revision.number, "status": revision.status}
    if created:
        audit(session, staff.name, "notice.create", target,
              {"title": notice.title, "zones": outcome.zones_added, **details}, staff.ip, now)
    else:
        audit(session, staff.name, "notice.update", target,
              {"version": notice.version, **details}, staff.ip, now)
    if revision.status == "review":
        audit(session, staff.name, "notice.submit", target, {"revision": revision.number},
              staff.ip, now)
    if outcome.live_changed:
        audit(session, staff.name, "notice.publish", target,
              {"revision": revision.number, "version": notice.version}, staff.ip, now)
    return outcome


def _the_pending(session: Session, notice: Notice, number: int | None,
                 allowed: Iterable[str], refusal: str) -> NoticeRevision:
    revision = pending_revision(session, notice)
    if number is not None and (revision is None or revision.number != number):
        get_revision(session, notice.id, number)  # 404 when there is no such revision at all
        raise WorkflowError(f"Phiên bản {number} không phải là bản sửa đang chờ của thông báo "
                            "này.", "not_pending")
    if revision is None or revision.status not in allowed:
        raise WorkflowError(refusal, "invalid_state")
    return revision


def submit(session: Session, notice_id: int, staff: Staff, now: datetime,
           number: int | None = None) -> Outcome:
    """Send the notice's draft to an approver. A rejected revision sent again unchanged
    becomes a new revision in review (the rejection stays in the history as it was)."""
    notice = _lock(session, notice_id)
    revision = _the_pending(session, notice, number, ("draft", "rejected"),
                            "Không có bản nháp nào để gửi duyệt.")
    if revision.status == "rejected":
        revision = NoticeRevision(notice_id=notice.id, number=_next_number(session, notice.id),
                                  record=revision.record, author=staff.name, created_at=now)
        session.add(revision)
    revision.status, revision.submitted_at = "review", now
    if not is_live(notice):
        notice.status = "review"
    session.flush()
    audit(session, staff.name, "notice.submit", f"notice:{notice.id}",
          {"revision": revision.number}, staff.ip, now)
    return Outcome(notice, revision)


def approve(session: Session, notice_id: int, staff: Staff, now: datetime,
            number: int | None = None) -> Outcome:
    """An approver approves the revision in review: it is the live record from now on."""
    _require_approver(staff)
    notice = _lock(session, notice_id)
    revision = _the_pending(session, notice, number, ("review",),
                            "Không có bản sửa nào đang chờ duyệt.")
    record = parse_notice(revision.record)
    check_unique(session, record, notice.id)
    ensure_history(session, notice, now)
    revision.status, revision.decided_by, revision.decided_at = "approved", staff.name, now
    went_live = _go_live(notice, record, now)
    target = f"notice:{notice.id}"
    audit(session, staff.name, "notice.approve", target,
          {"revision": revision.number, "author": revision.author}, staff.ip, now)
    audit(session, staff.name, "notice.publish", target,
          {"revision": revision.number, "version": notice.version}, staff.ip, now)
    session.flush()
    return Outcome(notice, revision, live_changed=True, went_live=went_live)


def reject(session: Session, notice_id: int, staff: Staff, reason: Any, now: datetime,
           number: int | None = None) -> Outcome:
    """An approver sends the revision in review back, saying why. The live record stays."""
    _require_approver(staff)
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not reason:
        raise WorkflowError("Cần ghi lý do trả lại để người biên tập biết phải sửa gì.",
                            "reason_required", 422, field="reason")
    if len(reason) > 2000:
        raise WorkflowError("Lý do trả lại dài quá 2000 ký tự.", "validation_failed", 422,
                            field="reason")
    notice = _lock(session, notice_id)
    revision = _the_pending(session, notice, number, ("review",),
                            "Không có bản sửa nào đang chờ duyệt.")
    revision.status, revision.reason = "rejected", reason
    revision.decided_by, revision.decided_at = staff.name, now
    if not is_live(notice):
        notice.status = "rejected"
    audit(session, staff.name, "notice.reject", f"notice:{notice.id}",
          {"revision": revision.number, "author": revision.author, "reason": reason},
          staff.ip, now)
    session.flush()
    return Outcome(notice, revision)


def restore(session: Session, notice_id: int, number: int, staff: Staff,
            now: datetime) -> Outcome:
    """A new revision with an old one's record: by an editor it goes to review, by an
    approver it is live at once."""
    old = get_revision(session, notice_id, number)
    outcome = save(session, notice_id, dict(old.record), staff, now, submit=True)
    audit(session, staff.name, "notice.restore", f"notice:{notice_id}",
          {"from": number, "revision": outcome.revision.number,
           "status": outcome.revision.status}, staff.ip, now)
    return outcome


def may_delete(notice: Notice, staff: Staff) -> bool:
    """Taking a notice off the screens is an approver's decision; a draft nobody ever
    approved is its editors' to throw away."""
    return staff.approves or not is_live(notice)


def _require_approver(staff: Staff) -> None:
    if not staff.approves:
        raise WorkflowError("Tài khoản này không có quyền duyệt.", "forbidden", 403)


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
