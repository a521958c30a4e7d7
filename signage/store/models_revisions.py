"""Revisions of a notice: every version anybody saved, and what became of it.

`Notice.record` is what the screens show (the live, approved record). Working copies
live here until an approver approves them; old versions stay for the history and for
restore. Rows are added, and only their status (and decision) changes afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from signage.store.models import Base, utcnow

# draft: saved by an editor, not yet sent; review: waiting for an approver;
# approved: was (or is) on the screens; rejected: sent back with a reason;
# superseded: a draft or review replaced by a newer save before anyone decided on it.
REVISION_STATUSES = ("draft", "review", "approved", "rejected", "superseded")


class NoticeRevision(Base):
    """One saved version of a notice: its whole record, who wrote it, and the decision."""

    __tablename__ = "notice_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … per notice
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by: Mapped[str | None] = mapped_column(String(80), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        UniqueConstraint("notice_id", "number", name="uq_notice_revisions_number"),
        # The review queue and the list's "chờ duyệt" filter look revisions up by status.
        Index("ix_notice_revisions_status", "status"),
    )
