"""Notices in the store: create, read, update, delete, list. Takes a session, returns values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from signage.notices.schema import LawMessage, NoticeInvalid, Procedure, parse_notice, record_json
from signage.store.models import Notice, Slide


class NoticeNotFound(LookupError):
    def __init__(self, notice_id: int) -> None:
        super().__init__(f"Không tìm thấy thông báo số {notice_id}.")


class NoticeConflict(ValueError):
    """Another notice already has this procedure code or law slug."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def notice_json(notice: Notice) -> dict[str, Any]:
    """The API's notice: the record plus read-only id, status, version, updated_at."""
    return {
        "id": notice.id,
        **notice.record,
        "kind": notice.kind,
        "status": notice.status,
        "version": notice.version,
        # Always UTC on the wire: the same instant reads the same before and after storage.
        "updated_at": notice.updated_at.astimezone(UTC).isoformat() if notice.updated_at else None,
    }


def apply_record(notice: Notice, record: Procedure | LawMessage) -> None:
    notice.kind = record.kind
    notice.title = record.title
    notice.record = record_json(record)
    if isinstance(record, Procedure):
        notice.code, notice.slug, notice.field = record.code, None, record.field
    else:
        notice.code, notice.slug, notice.field = None, record.slug, None


def _check_unique(session: Session, record: Procedure | LawMessage, own_id: int | None) -> None:
    if isinstance(record, Procedure):
        clash = select(Notice.id).where(Notice.code == record.code)
        message = f"Mã thủ tục {record.code} đã có ở một thông báo khác."
        field = "code"
    else:
        clash = select(Notice.id).where(Notice.slug == record.slug)
        message = f"Mã định danh {record.slug} đã có ở một thông báo khác."
        field = "slug"
    if own_id is not None:
        clash = clash.where(Notice.id != own_id)
    if session.scalar(clash) is not None:
        raise NoticeConflict(message, field)


def create_notice(session: Session, data: Any, now: datetime) -> Notice:
    record = parse_notice(data)
    _check_unique(session, record, None)
    notice = Notice(created_at=now, updated_at=now, status="approved", version=1)
    apply_record(notice, record)
    session.add(notice)
    session.flush()
    return notice


def get_notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeNotFound(notice_id)
    return notice


def update_notice(session: Session, notice_id: int, data: Any, now: datetime) -> Notice:
    """Replace a notice's record (PUT takes what GET returns). Kind cannot change."""
    notice = get_notice(session, notice_id)
    if isinstance(data, dict) and "kind" not in data:
        data = {**data, "kind": notice.kind}
    record = parse_notice(data)
    if record.kind != notice.kind:
        raise NoticeInvalid([{"field": "kind",
                              "message": "Loại thông báo: không đổi được loại của thông báo đã có."}])
    _check_unique(session, record, notice.id)
    apply_record(notice, record)
    notice.version += 1
    notice.updated_at = now
    session.flush()
    return notice


def delete_notice(session: Session, notice_id: int) -> list[int]:
    """Delete a notice; returns the ids of the zones whose playlists lost a slide."""
    notice = get_notice(session, notice_id)
    zone_ids = list(session.scalars(select(Slide.zone_id).where(Slide.notice_id == notice_id)))
    session.delete(notice)
    session.flush()
    return sorted(set(zone_ids))


def list_notices(
    session: Session, *, kind: str | None = None, q: str | None = None,
    limit: int = 200, offset: int = 0,
) -> tuple[list[Notice], int]:
    query = select(Notice)
    if kind:
        query = query.where(Notice.kind == kind)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Notice.title.ilike(like), Notice.code.ilike(like),
                                Notice.field.ilike(like)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Notice.kind.desc(), Notice.id).limit(limit).offset(offset))
    return list(rows), total


def zones_showing(session: Session, notice_id: int) -> list[int]:
    """Ids of the zones whose playlists include this notice."""
    return sorted(set(session.scalars(select(Slide.zone_id).where(Slide.notice_id == notice_id))))
